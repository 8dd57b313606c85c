import type { CodePatterns } from './codings'
import { defined, undefinedBecause, type Estimate } from './estimate'

// Chance-corrected agreement on nominal codes: Cohen's kappa for a pair of coders, Fleiss' kappa
// for three or more. Both read the patterns of codes.ts, and take the counts per pattern as a
// separate argument so that a bootstrap resample can be scored without rebuilding anything.

/** Disagreement weights: none (nominal), |i - j| (linear) or (i - j)² (quadratic), for ordered codes such as intensity. */
export type KappaWeights = 'none' | 'linear' | 'quadratic'

const weightOf = (weights: KappaWeights, i: number, j: number): number =>
  weights === 'none' ? (i === j ? 0 : 1) : weights === 'linear' ? Math.abs(i - j) : (i - j) ** 2

/** The pair's C x C table of counts, over the items both coded: table[i * C + j], coder a said i, b said j. */
function pairTable(patterns: CodePatterns, a: number, b: number, counts: Float64Array): Float64Array {
  const { coders, categories, rows } = patterns
  const table = new Float64Array(categories * categories)
  for (let p = 0; p < counts.length; p++) {
    const i = rows[p * coders + a]
    const j = rows[p * coders + b]
    if (i >= 0 && j >= 0) table[i * categories + j] += counts[p] // not MISSING (-1): a literal test, no module-binding lookup per cell
  }
  return table
}

/**
 * Cohen's kappa between two coders (Cohen 1960, Educ. Psychol. Meas. 20:37), over the items both
 * coded: κ = (p_o - p_e) / (1 - p_e), with p_o the share of items on which they agree and
 * p_e = Σ_c p_a(c) p_b(c) the agreement expected from each coder's own category shares.
 * Weighted (Cohen 1968, Psychol. Bull. 70:213): κ_w = 1 - Σ w_ij o_ij / Σ w_ij e_ij with
 * e_ij = r_i c_j / n, which is the unweighted kappa for w_ij = [i ≠ j]; the same definition as
 * scikit-learn's cohen_kappa_score. Undefined (null) when no item was coded by both, or when both
 * coders used one and the same category for every item (p_e = 1).
 */
export function cohenKappa(
  patterns: CodePatterns,
  options: { coders?: readonly [number, number]; weights?: KappaWeights } = {},
  counts: Float64Array = patterns.counts,
): Estimate {
  const [a, b] = options.coders ?? [0, 1]
  const weights = options.weights ?? 'none'
  const C = patterns.categories
  if (a === b || a < 0 || b < 0 || a >= patterns.coders || b >= patterns.coders) {
    throw new RangeError(`Cohen's kappa: coders ${a} and ${b} must be two different coders among ${patterns.coders}`)
  }
  const table = pairTable(patterns, a, b, counts)
  const rowSums = new Float64Array(C)
  const columnSums = new Float64Array(C)
  let n = 0
  for (let i = 0; i < C; i++) {
    for (let j = 0; j < C; j++) {
      const o = table[i * C + j]
      rowSums[i] += o
      columnSums[j] += o
      n += o
    }
  }
  if (n === 0) return undefinedBecause('no item was coded by both coders', 0)
  let observed = 0
  let expected = 0
  for (let i = 0; i < C; i++) {
    for (let j = 0; j < C; j++) {
      const w = weightOf(weights, i, j)
      observed += w * table[i * C + j]
      expected += (w * rowSums[i] * columnSums[j]) / n
    }
  }
  if (expected === 0)
    return undefinedBecause(
      'both coders gave every item the same single category: chance agreement is 1, so kappa is undefined',
      n,
    )
  return defined(1 - observed / expected, n)
}

/**
 * Fleiss' kappa for any number of coders (Fleiss 1971, Psychol. Bull. 76:378), in the form that
 * lets each item have its own number of codes r_i (Gwet 2014, Handbook of Inter-Rater
 * Reliability, 4th ed., ch. 5; irrCAC's fleiss.kappa.raw): p_a is the mean over items with
 * r_i >= 2 of Σ_c r_ic (r_ic - 1) / (r_i (r_i - 1)); π_c is the mean over items with r_i >= 1 of
 * r_ic / r_i; p_e = Σ_c π_c²; κ = (p_a - p_e) / (1 - p_e). With every item coded by the same m
 * coders it is exactly Fleiss' 1971 kappa. n counts the items with at least two codes. Undefined
 * (null) when no item has two codes, or when every code is in one category (p_e = 1).
 */
export function fleissKappa(patterns: CodePatterns, counts: Float64Array = patterns.counts): Estimate {
  const C = patterns.categories
  const shares = new Float64Array(C)
  let agreementSum = 0
  let pairable = 0
  let coded = 0
  for (let p = 0; p < counts.length; p++) {
    const r = patterns.coded[p]
    const w = counts[p]
    if (r === 0 || w === 0) continue
    coded += w
    let agreeing = 0
    for (let c = 0; c < C; c++) {
      const rc = patterns.categoryCounts[p * C + c]
      shares[c] += (w * rc) / r
      agreeing += rc * (rc - 1)
    }
    if (r >= 2) {
      pairable += w
      agreementSum += (w * agreeing) / (r * (r - 1))
    }
  }
  if (pairable === 0) return undefinedBecause('no item has codes from two or more coders', 0)
  let chance = 0
  let used = 0
  for (let c = 0; c < C; c++) {
    const share = shares[c] / coded
    chance += share * share
    if (share > 0) used++
  }
  if (used < 2)
    return undefinedBecause(
      'every code is in the same category: chance agreement is 1, so kappa is undefined',
      pairable,
    )
  return defined((agreementSum / pairable - chance) / (1 - chance), pairable)
}
