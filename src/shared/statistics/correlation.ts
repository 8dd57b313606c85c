import { WorkbenchError } from '../errors'
import { defined, undefinedBecause, type Estimate } from './estimate'

// How close two sets of numbers are, for the Fig. 2 score: the mean absolute error (same scale)
// and Spearman's rank correlation (same order, whatever the scale).

function checkPairs(a: readonly number[], b: readonly number[], what: string): void {
  if (a.length !== b.length)
    throw new WorkbenchError(
      'invalid_arguments',
      `${what}: ${a.length} values against ${b.length}; they must pair up`,
      { field: what },
    )
  const bad = [...a, ...b].findIndex((v) => !Number.isFinite(v))
  if (bad >= 0)
    throw new WorkbenchError(
      'invalid_arguments',
      `${what}: value ${(bad % a.length) + 1} of the ${bad < a.length ? 'first' : 'second'} list is not a finite number`,
      { field: what, index: bad % a.length },
    )
}

/** Ranks 1..n, tied values sharing the mean of their ranks ("fractional" ranking). */
export function averageRanks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j])
  const ranks = new Float64Array(values.length)
  for (let start = 0; start < order.length;) {
    let end = start + 1
    while (end < order.length && values[order[end]] === values[order[start]]) end++
    const rank = (start + 1 + end) / 2 // mean of ranks start+1 .. end
    for (let k = start; k < end; k++) ranks[order[k]] = rank
    start = end
  }
  return ranks
}

/** Pearson's correlation; null when either side does not vary. */
function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += x[i]
    my += y[i]
  }
  mx /= n
  my /= n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my)
    sxx += (x[i] - mx) ** 2
    syy += (y[i] - my) ** 2
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy)
}

/**
 * Spearman's rank correlation with ties: Pearson's correlation of the average ranks (Spearman
 * 1904; the tie-corrected form, as scipy.stats.spearmanr). Undefined (null) with fewer than two
 * pairs, or when one side has all values equal.
 */
export function spearman(a: readonly number[], b: readonly number[], what = 'rank correlation'): Estimate {
  checkPairs(a, b, what)
  if (a.length < 2) return undefinedBecause('fewer than two pairs of values', a.length)
  const r = pearson(averageRanks(a), averageRanks(b))
  if (r === null) return undefinedBecause('one side has all values equal: no order to compare', a.length)
  return defined(Math.max(-1, Math.min(1, r)), a.length)
}

/** Mean absolute error Σ|a_i - b_i| / n; undefined (null) with no pairs. */
export function meanAbsoluteError(a: readonly number[], b: readonly number[], what = 'mean absolute error'): Estimate {
  checkPairs(a, b, what)
  if (a.length === 0) return undefinedBecause('no pairs of values', 0)
  return defined(a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length, a.length)
}
