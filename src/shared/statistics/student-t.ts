import { logGamma, regularizedIncompleteBeta } from './special-functions'

// Student's t distribution: what a 95% interval over a handful of seeds needs. With 3 seeds the
// interval is t(0.975, 2) = 4.30 standard errors wide on each side, not the normal 1.96: a table
// for a few n would be wrong for the others, so the quantile is computed.

function checkDegrees(df: number): void {
  if (!(df > 0) || !Number.isFinite(df))
    throw new RangeError(`Student's t: the degrees of freedom must be a positive number (got ${df})`)
}

/** Density of Student's t with `df` degrees of freedom: Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) (1 + t²/ν)^-(ν+1)/2. */
export function studentTDensity(t: number, df: number): number {
  checkDegrees(df)
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI)
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df))
}

/**
 * P(T <= t) for Student's t with `df` degrees of freedom, through the incomplete beta function:
 * P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2) (Abramowitz & Stegun 26.7.1 and 26.5.27).
 */
export function studentTCdf(t: number, df: number): number {
  checkDegrees(df)
  if (Number.isNaN(t)) return Number.NaN
  if (t === Infinity) return 1
  if (t === -Infinity) return 0
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
  return t > 0 ? 1 - tail : tail
}

/**
 * The p-quantile of Student's t with `df` degrees of freedom: the t with P(T <= t) = p.
 * Closed forms for ν = 1 (Cauchy: tan(π(p - ½))) and ν = 2 ((2p - 1) / √(2p(1 - p))); otherwise
 * Newton's method on the cdf above, kept inside a bisection bracket (Numerical Recipes 3rd ed.
 * §9.4, rtsafe), to full double precision: t(0.975, 2) = 4.302653, t(0.975, 30) = 2.042272.
 */
export function studentTQuantile(p: number, df: number): number {
  checkDegrees(df)
  if (!(p > 0 && p < 1)) throw new RangeError(`Student's t quantile: p must be strictly between 0 and 1 (got ${p})`)
  if (p < 0.5) return -studentTQuantile(1 - p, df)
  if (p === 0.5) return 0
  if (df === 1) return Math.tan(Math.PI * (p - 0.5))
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p))
  return solveUpperQuantile(p, df)
}

/** t > 0 with cdf(t) = p, for p > 0.5. */
function solveUpperQuantile(p: number, df: number): number {
  let low = 0
  let high = 1
  while (studentTCdf(high, df) < p) {
    low = high
    high *= 2
  }
  let t = (low + high) / 2
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(t, df) - p
    if (f === 0) return t
    if (f < 0) low = t
    else high = t
    const newton = t - f / studentTDensity(t, df)
    const next = newton > low && newton < high ? newton : (low + high) / 2
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) return next
    t = next
  }
  return t
}
