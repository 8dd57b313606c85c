import type { Random } from '../random'
import { logGamma } from './special-functions'

// Resampling n items with replacement only changes how many times each kind of item (each
// pattern of codes) is drawn: those counts follow a multinomial law. Drawing them directly costs
// a few uniforms per pattern instead of n per resample, which is what makes a bootstrap over 100,000
// images x 40 classes fit in the agreement target (issue 14: under 2 s).

/** Below this mean, the binomial is drawn by inversion from 0 (few steps); above, by rejection (BTRS needs n p >= 10). */
const SMALL_MEAN = 10

/** Inversion from 0 upward (Devroye 1986, Non-Uniform Random Variate Generation, §X.4.3). */
function binomialFromZero(random: Random, n: number, p: number): number {
  const ratio = p / (1 - p)
  let probability = Math.exp(n * Math.log1p(-p))
  let u = random()
  for (let k = 0; k < n; k++) {
    u -= probability
    if (u <= 0) return k
    probability *= (ratio * (n - k)) / (k + 1)
  }
  return n
}

/** ln k! for k below this is read from a table; above, from Stirling's series. */
const FACTORIAL_TABLE = 256
const LOG_FACTORIALS = Float64Array.from({ length: FACTORIAL_TABLE }, (_, k) => logGamma(k + 1))
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI)

/**
 * ln k! for a whole k >= 0: a table below 256, Stirling's series above (Abramowitz & Stegun 6.1.41),
 * whose first omitted term, 1 / (1680 k^7), is below 1e-19 there. The rejection test below calls
 * it with n up to the images coded, where a Lanczos ln Γ per call cost as much as the whole draw.
 */
export function logFactorial(k: number): number {
  if (k < FACTORIAL_TABLE) return LOG_FACTORIALS[k]
  const r = 1 / k
  const r2 = r * r
  return (k + 0.5) * Math.log(k) - k + HALF_LOG_TWO_PI + r * (1 / 12 - r2 * (1 / 360 - r2 / 1260))
}

/**
 * BTRS, transformed rejection with squeeze (Hörmann 1993, "The generation of binomial random
 * variates", J. Stat. Comput. Simul. 46:101, algorithm BTRS; TensorFlow's binomial sampler): a
 * candidate from a transformed uniform, accepted by a cheap squeeze most of the time and otherwise
 * by the exact log-probability ratio to the mode. Exact, and a few uniforms per draw whatever n,
 * for n p >= 10 and p <= 1/2. The mode's log-probability is computed only when the squeeze fails.
 */
function binomialByRejection(random: Random, n: number, p: number): number {
  const q = 1 - p
  const spq = Math.sqrt(n * p * q)
  const b = 1.15 + 2.53 * spq
  const a = -0.0873 + 0.0248 * b + 0.01 * p
  const c = n * p + 0.5
  const vr = 0.92 - 4.2 / b
  let alpha = 0
  let lpq = 0
  let mode = 0
  let h = NaN
  for (;;) {
    const u = random() - 0.5
    const v = random()
    const us = 0.5 - Math.abs(u)
    const k = Math.floor(((2 * a) / us + b) * u + c)
    if (k < 0 || k > n) continue
    if (us >= 0.07 && v <= vr) return k
    if (Number.isNaN(h)) {
      alpha = (2.83 + 5.1 / b) * spq
      lpq = Math.log(p / q)
      mode = Math.floor((n + 1) * p)
      h = logFactorial(mode) + logFactorial(n - mode)
    }
    const logV = Math.log((v * alpha) / (a / (us * us) + b))
    if (logV <= h - logFactorial(k) - logFactorial(n - k) + (k - mode) * lpq) return k
  }
}

/** A draw from Binomial(n, p): n a non-negative integer, 0 <= p <= 1. */
export function binomial(random: Random, n: number, p: number): number {
  if (n === 0 || p <= 0) return 0
  if (p >= 1) return n
  if (p > 0.5) return n - binomial(random, n, 1 - p)
  return n * p < SMALL_MEAN ? binomialFromZero(random, n, p) : binomialByRejection(random, n, p)
}

/**
 * One multinomial draw of `total` items over categories weighted by `weights` (counts of items per
 * pattern), into `out`: sequential conditional binomials, X_j ~ Binomial(n - Σ_{l<j} X_l,
 * w_j / Σ_{l>=j} w_l) (Devroye 1986 §XI.1.5). Equal in law to drawing `total` items with
 * replacement from the pooled items and counting them per pattern.
 */
export function multinomialInto(
  random: Random,
  total: number,
  weights: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  let remainingWeight = 0
  for (let j = 0; j < weights.length; j++) remainingWeight += weights[j]
  let remaining = total
  for (let j = 0; j < weights.length; j++) {
    const w = weights[j]
    const drawn =
      remaining === 0 || w === 0
        ? 0
        : w >= remainingWeight
          ? remaining
          : binomial(random, remaining, w / remainingWeight)
    out[j] = drawn
    remaining -= drawn
    remainingWeight -= w
  }
  return out
}
