import { WorkbenchError } from '../errors'
import { bootstrapCounts, type BootstrapOptions } from './bootstrap'
import { MISSING, tallyPatterns, type CodePatterns } from './codings'
import { defined, undefinedBecause, type Coefficient, type Estimate } from './estimate'

// Agreement on intensity (FACS A-E as 1-5, or any number) by the intraclass correlation. Ratings
// are tallied into patterns like nominal codes (intensities take a few values, so the patterns
// are few and the bootstrap is cheap); continuous ratings still work, one pattern per item.

export interface Ratings {
  items: number
  raters: number
  /** values[item * raters + rater]; NaN where the rater gave no rating. */
  values: Float64Array
  /** What the ratings are of (e.g. "AU12 intensity"), for error messages. */
  label?: string
}

export interface RatingPatterns {
  patterns: CodePatterns
  /** The rating each code stands for. */
  values: Float64Array
}

/** Groups items with identical rows of ratings; an infinite rating is an error naming its item and rater. */
export function tallyRatings(ratings: Ratings): RatingPatterns {
  const { items, raters, values } = ratings
  const what = ratings.label ? `ratings of ${ratings.label}` : 'ratings'
  if (values.length !== items * raters)
    throw new WorkbenchError(
      'invalid_arguments',
      `${what}: ${values.length} values for ${items} items x ${raters} raters`,
      { field: 'values' },
    )
  const codeOf = new Map<number, number>()
  const codes = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (Number.isNaN(v)) {
      codes[i] = MISSING
      continue
    }
    if (!Number.isFinite(v))
      throw new WorkbenchError(
        'invalid_arguments',
        `${what}: item ${Math.floor(i / raters) + 1}, rater ${(i % raters) + 1} has rating ${v}`,
        { field: 'values', item: Math.floor(i / raters), rater: i % raters },
      )
    let code = codeOf.get(v)
    if (code === undefined) codeOf.set(v, (code = codeOf.size))
    codes[i] = code
  }
  const patterns = tallyPatterns({
    items,
    coders: raters,
    categories: Math.max(1, codeOf.size),
    codes,
    label: ratings.label,
  })
  return { patterns, values: Float64Array.from(codeOf.keys()) }
}

/** Sums over the items rated by every rater, centred on `center` so large ratings lose no digits. */
function sumsOfSquares({ patterns, values }: RatingPatterns, counts: Float64Array, center: number) {
  const k = patterns.coders
  const columns = new Float64Array(k)
  let n = 0
  let grand = 0
  let squares = 0
  let rowSquares = 0
  for (let p = 0; p < counts.length; p++) {
    const w = counts[p]
    if (patterns.coded[p] < k || w === 0) continue
    let row = 0
    for (let r = 0; r < k; r++) {
      const x = values[patterns.rows[p * k + r]] - center
      row += x
      squares += w * x * x
      columns[r] += w * x
    }
    n += w
    grand += w * row
    rowSquares += w * row * row
  }
  const correction = n ? (grand * grand) / (n * k) : 0
  const total = squares - correction
  const rowsSS = rowSquares / k - correction
  const columnsSS = columns.reduce((s, c) => s + c * c, 0) / (n || 1) - correction
  return { n, total, rowsSS, errorSS: total - rowsSS - columnsSS }
}

/**
 * ICC(3,1): two-way mixed model, consistency, single rater (Shrout & Fleiss 1979, Psychol. Bull.
 * 86:420, Table 1; McGraw & Wong 1996's ICC(C,1)): (BMS - EMS) / (BMS + (k - 1) EMS), with BMS
 * the between-items mean square and EMS the residual mean square of the items x raters two-way
 * ANOVA. Only items rated by every rater enter (the ANOVA needs complete rows); n counts them.
 * Undefined (null) with fewer than two such items or raters, or when the ratings do not vary
 * between items beyond each rater's own offset.
 */
export function icc31(rated: RatingPatterns, counts: Float64Array = rated.patterns.counts): Estimate {
  const k = rated.patterns.coders
  if (k < 2) return undefinedBecause('ICC needs at least two raters', 0)
  const center = rated.values.length ? rated.values.reduce((a, b) => a + b, 0) / rated.values.length : 0
  const { n, total, rowsSS, errorSS } = sumsOfSquares(rated, counts, center)
  if (n < 2) return undefinedBecause('fewer than two items were rated by every rater', n)
  const between = rowsSS / (n - 1)
  const residual = Math.max(0, errorSS) / ((n - 1) * (k - 1))
  const denominator = between + (k - 1) * residual
  if (!(denominator > 1e-12 * total))
    return undefinedBecause("the ratings do not vary between items beyond each rater's offset: ICC is undefined", n)
  return defined((between - residual) / denominator, n)
}

/** ICC(3,1) of the ratings with n and a percentile bootstrap 95% interval over items. */
export function icc31WithInterval(ratings: Ratings, options: BootstrapOptions = {}): Coefficient {
  return icc31OfPatterns(tallyRatings(ratings), options)
}

/**
 * The same ratings with every item some rater left unrated in one cell of its own: ICC reads only
 * complete rows, so a bootstrap that draws this one cell instead of each incomplete pattern draws
 * the complete rows with the same law, in fewer draws.
 */
function completeRowsOnly({ patterns, values }: RatingPatterns): RatingPatterns {
  const k = patterns.coders
  const complete = [...patterns.counts.keys()].filter((p) => patterns.coded[p] === k)
  const incomplete = patterns.counts.reduce((sum, w, p) => sum + (patterns.coded[p] === k ? 0 : w), 0)
  const kept = incomplete > 0 ? [...complete, -1] : complete
  const C = patterns.categories
  const rows = new Int32Array(kept.length * k).fill(MISSING)
  const categoryCounts = new Int32Array(kept.length * C)
  kept.forEach((p, at) => {
    if (p < 0) return
    rows.set(patterns.rows.subarray(p * k, (p + 1) * k), at * k)
    categoryCounts.set(patterns.categoryCounts.subarray(p * C, (p + 1) * C), at * C)
  })
  return {
    values,
    patterns: {
      ...patterns,
      rows,
      categoryCounts,
      counts: Float64Array.from(kept, (p) => (p < 0 ? incomplete : patterns.counts[p])),
      coded: Int32Array.from(kept, (p) => (p < 0 ? 0 : k)),
    },
  }
}

/** The same from ratings already tallied (e.g. straight from the catalogue's codes). */
export function icc31OfPatterns(ratings: RatingPatterns, options: BootstrapOptions = {}): Coefficient {
  const rated = completeRowsOnly(ratings)
  const estimate = icc31(rated)
  if (estimate.value === null) return { ...estimate, ci95: null, ciReason: estimate.reason }
  const [interval] = bootstrapCounts(rated.patterns.counts, [(counts) => icc31(rated, counts).value], options)
  return interval.ci95
    ? { ...estimate, ci95: interval.ci95 }
    : { ...estimate, ci95: null, ciReason: 'undefined in most bootstrap resamples' }
}
