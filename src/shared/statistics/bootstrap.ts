import { mulberry32, randomInt } from '../random'
import { multinomialInto } from './multinomial'

// The seeded nonparametric percentile bootstrap (Efron & Tibshirani 1993, An Introduction to the
// Bootstrap, ch. 13): resample the items with replacement B times, compute the statistic on each
// resample, and take its 2.5% and 97.5% quantiles as the 95% interval. Seeded with mulberry32, so
// the same data give the same interval on every machine. For statistics without a closed-form
// interval: kappa and alpha over items, a median or a ratio over seeds.

export interface BootstrapOptions {
  /** Seed of the resampling (default 1): the same seed gives the same interval. */
  seed?: number
  /** Number of resamples B (default 2,000). */
  resamples?: number
  /** Interval level (default 0.95). */
  level?: number
}

export interface BootstrapInterval {
  /** [low, high], or null when the statistic was undefined in more than half of the resamples. */
  ci95: [number, number] | null
  /** Resamples drawn. */
  resamples: number
  /** Resamples on which the statistic was defined: the interval is over these. */
  defined: number
}

export const DEFAULT_RESAMPLES = 2000
export const DEFAULT_BOOTSTRAP_SEED = 1

/**
 * The q-quantile of sorted values by linear interpolation between order statistics: Hyndman & Fan
 * (1996) type 7, R's and NumPy's default, x[(n - 1) q] interpolated.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const above = Math.min(below + 1, sorted.length - 1)
  return sorted[below] + (position - below) * (sorted[above] - sorted[below])
}

function settings(options: BootstrapOptions): Required<BootstrapOptions> {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES
  const level = options.level ?? 0.95
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrap: resamples must be a positive whole number (got ${resamples})`)
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: the level must be between 0 and 1 (got ${level})`)
  return { seed: options.seed ?? DEFAULT_BOOTSTRAP_SEED, resamples, level }
}

/** The percentile interval of the defined replicate values. */
function percentileInterval(
  replicates: Float64Array,
  defined: number,
  resamples: number,
  level: number,
): BootstrapInterval {
  if (defined * 2 <= resamples) return { ci95: null, resamples, defined }
  const sorted = replicates.subarray(0, defined).sort()
  const tail = (1 - level) / 2
  return { ci95: [quantileOfSorted(sorted, tail), quantileOfSorted(sorted, 1 - tail)], resamples, defined }
}

/**
 * Percentile bootstrap of any statistic of a few values (e.g. the median accuracy over seeds):
 * each resample draws values.length values with replacement.
 */
export function bootstrapValues(
  values: readonly number[],
  statistic: (sample: number[]) => number | null,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const { seed, resamples, level } = settings(options)
  const random = mulberry32(seed)
  const replicates = new Float64Array(resamples)
  const sample = new Array<number>(values.length)
  let defined = 0
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[randomInt(random, values.length)]
    const v = statistic(sample)
    if (v !== null && Number.isFinite(v)) replicates[defined++] = v
  }
  return percentileInterval(replicates, defined, resamples, level)
}

/** A statistic of items grouped by pattern: counts[p] items have pattern p. */
export type CountStatistic = (counts: Float64Array) => number | null

/**
 * Percentile bootstrap over items grouped by pattern (items with the same codes are
 * interchangeable): each resample draws how many times each pattern is picked among n items drawn
 * with replacement (multinomial, see multinomial.ts), and every statistic is computed on the same
 * resample, so that the intervals of kappa and alpha rest on the same resampled items.
 */
export function bootstrapCounts(
  counts: Float64Array,
  statistics: readonly CountStatistic[],
  options: BootstrapOptions = {},
): BootstrapInterval[] {
  const { seed, resamples, level } = settings(options)
  const random = mulberry32(seed)
  let total = 0
  for (let p = 0; p < counts.length; p++) total += counts[p]
  const resampled = new Float64Array(counts.length)
  const replicates = statistics.map(() => new Float64Array(resamples))
  const defined = statistics.map(() => 0)
  for (let b = 0; b < resamples; b++) {
    multinomialInto(random, total, counts, resampled)
    statistics.forEach((statistic, s) => {
      const v = statistic(resampled)
      if (v !== null && Number.isFinite(v)) replicates[s][defined[s]++] = v
    })
  }
  return statistics.map((_, s) => percentileInterval(replicates[s], defined[s], resamples, level))
}
