import type { CodePatterns } from './codings'
import { defined, undefinedBecause, type Estimate } from './estimate'

/**
 * Krippendorff's alpha for nominal codes, with missing codes (Krippendorff 2011, "Computing
 * Krippendorff's Alpha-Reliability", Annenberg School for Communication, section C). Only items
 * with two or more codes ("pairable values") count. With the coincidence matrix
 * o_ck = Σ_u (number of c-k pairs of codes in item u) / (m_u - 1), n_c = Σ_k o_ck and n = Σ_c n_c:
 *   α = [(n - 1) Σ_c o_cc - Σ_c n_c (n_c - 1)] / [n (n - 1) - Σ_c n_c (n_c - 1)],
 * where an item with m_u codes, r_uc of them c, adds r_uc (r_uc - 1) / (m_u - 1) to o_cc.
 * n in the result counts the items with two or more codes. Undefined (null) when there is no such
 * item, or when all their codes are in one category (no variation to agree on).
 */
export function krippendorffAlpha(patterns: CodePatterns, counts: Float64Array = patterns.counts): Estimate {
  const C = patterns.categories
  const totals = new Float64Array(C)
  let coincidentSame = 0
  let units = 0
  for (let p = 0; p < counts.length; p++) {
    const m = patterns.coded[p]
    const w = counts[p]
    if (m < 2 || w === 0) continue
    units += w
    for (let c = 0; c < C; c++) {
      const r = patterns.categoryCounts[p * C + c]
      totals[c] += w * r
      coincidentSame += (w * r * (r - 1)) / (m - 1)
    }
  }
  if (units === 0) return undefinedBecause('no item has codes from two or more coders', 0)
  let n = 0
  let sameByChance = 0
  for (let c = 0; c < C; c++) {
    n += totals[c]
    sameByChance += totals[c] * (totals[c] - 1)
  }
  const denominator = n * (n - 1) - sameByChance
  if (denominator === 0)
    return undefinedBecause(
      'every code of the items coded twice or more is in the same category: alpha is undefined',
      units,
    )
  return defined(((n - 1) * coincidentSame - sameByChance) / denominator, units)
}
