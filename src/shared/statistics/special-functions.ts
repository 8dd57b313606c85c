// The two special functions Student's t distribution rests on, in plain floating point so that the
// renderer, the CLI and the trainer compute the same intervals without a native library.

// Lanczos coefficients for g = 7, n = 9 (Godfrey's set, as in Numerical Recipes 2nd ed. §6.1 and
// Press et al.'s successors): about 15 correct digits for every positive argument.
const LANCZOS_G = 7
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/**
 * ln Γ(x) for x > 0, by the Lanczos approximation
 * Γ(x + 1) = √(2π) (x + g + ½)^(x + ½) e^-(x + g + ½) A_g(x), with g = 7 and nine terms
 * (Lanczos 1964, SIAM J. Numer. Anal. B 1:86; coefficients by P. Godfrey).
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: the argument must be positive (got ${x})`)
  // Reflection keeps small arguments accurate: Γ(x) Γ(1 - x) = π / sin(πx).
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let sum = LANCZOS[0]
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i)
  const t = z + LANCZOS_G + 0.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

const TINY = 1e-300
const EPSILON = 1e-15
const MAX_TERMS = 100_000

/**
 * The continued fraction of the incomplete beta function, evaluated by the modified Lentz method
 * (Numerical Recipes 3rd ed. §6.4, eq. 6.4.5 and routine betacf). Converges fast for
 * x < (a + 1) / (a + b + 2); the caller uses the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) otherwise.
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= MAX_TERMS; m++) {
    const m2 = 2 * m
    const even = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + even * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + even / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    const odd = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + odd * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + odd / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPSILON) return h
  }
  throw new RangeError(`incomplete beta: no convergence for a = ${a}, b = ${b}, x = ${x}`)
}

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for 0 <= x <= 1 and
 * a, b > 0 (Abramowitz & Stegun 26.5.8 continued fraction; Numerical Recipes 3rd ed. §6.4, betai).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta: a and b must be positive (got a = ${a}, b = ${b})`)
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta: x must be within [0, 1] (got ${x})`)
  if (x === 0 || x === 1) return x
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x))
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b
}
