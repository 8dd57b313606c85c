import type { Random } from '../random'
import { logGamma } from './special-functions'

// Resampling n items with replacement only changes how many times each kind of item (each
// pattern of codes) is drawn: those counts follow a multinomial law. Drawing them directly costs
// about √n per pattern instead of n per resample, which is what makes a bootstrap over 100,000
// images x 40 classes fit in the agreement target (issue 14: under 2 s).

/** Below this mean, the binomial is drawn by inversion from 0 (few steps). */
const SMALL_MEAN = 10

/** ln C(n, k) + k ln p + (n - k) ln(1 - p): the log binomial probability of k. */
function logBinomialProbability(n: number, k: number, p: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p)
}

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

/**
 * Chop-down inversion from the mode outward: the outcomes are visited in the order m, m-1, m+1,
 * m-2, ... and the uniform is reduced by each one's probability until it is spent, which gives each
 * outcome exactly its probability (any fixed visiting order does) in about 1.6 standard deviations
 * of steps (Kemp 1986; Devroye 1986 §X.4.3).
 */
function binomialFromMode(random: Random, n: number, p: number): number {
  const mode = Math.min(n, Math.floor((n + 1) * p))
  const ratio = p / (1 - p)
  const atMode = Math.exp(logBinomialProbability(n, mode, p))
  let u = random() - atMode
  if (u <= 0) return mode
  let down = mode
  let downProbability = atMode
  let up = mode
  let upProbability = atMode
  while (down > 0 || up < n) {
    if (down > 0) {
      downProbability *= down / (ratio * (n - down + 1))
      down--
      u -= downProbability
      if (u <= 0) return down
    }
    if (up < n) {
      upProbability *= (ratio * (n - up)) / (up + 1)
      up++
      u -= upProbability
      if (u <= 0) return up
    }
  }
  return mode // the uniform exceeded the rounded total mass by a few ulps
}

/** A draw from Binomial(n, p): n a non-negative integer, 0 <= p <= 1. */
export function binomial(random: Random, n: number, p: number): number {
  if (n === 0 || p <= 0) return 0
  if (p >= 1) return n
  if (p > 0.5) return n - binomial(random, n, 1 - p)
  return n * p < SMALL_MEAN ? binomialFromZero(random, n, p) : binomialFromMode(random, n, p)
}

/**
 * One multinomial draw of `total` items over categories weighted by `weights` (counts of items per
 * pattern), into `out`: sequential conditional binomials, X_j ~ Binomial(n - Σ_{l<j} X_l,
 * w_j / Σ_{l>=j} w_l) (Devroye 1986 §XI.1.5). Equal in law to drawing `total` items with
 * replacement from the pooled items and counting them per pattern.
 */
export function multinomialInto(random: Random, total: number, weights: ArrayLike<number>, out: Float64Array): Float64Array {
  let remainingWeight = 0
  for (let j = 0; j < weights.length; j++) remainingWeight += weights[j]
  let remaining = total
  for (let j = 0; j < weights.length; j++) {
    const w = weights[j]
    const drawn = remaining === 0 || w === 0 ? 0 : w >= remainingWeight ? remaining : binomial(random, remaining, w / remainingWeight)
    out[j] = drawn
    remaining -= drawn
    remainingWeight -= w
  }
  return out
}
