import { WorkbenchError } from '../errors'
import { studentTQuantile } from './student-t'

// A method's result over K training seeds (data order, initialisation) as a mean with its 95%
// interval, and the paired difference between two methods trained on the same seeds: what tells a
// method's effect from the noise of one run (issue 16).

/** Said instead of an interval when there is a single seed. */
export const ONE_SEED = 'one seed: no interval'

export interface SeedSummary {
  /** Number of seeds. */
  n: number
  /** Arithmetic mean of the values. */
  mean: number
  /** Sample standard deviation (divisor n - 1); null for one seed. */
  sd: number | null
  /** Interval of the mean at the requested level (95% unless asked); [mean, mean] for one seed. */
  ci95: [number, number]
  /** ONE_SEED when there is no interval to give. */
  note?: typeof ONE_SEED
  /** The values, per seed, in the order given. */
  values: number[]
}

/** The values as finite numbers, or a clear error naming the first bad one. */
export function checkedValues(values: readonly number[], what: string): number[] {
  if (values.length === 0)
    throw new WorkbenchError('invalid_arguments', `${what}: no values (at least one seed is needed)`, { field: what })
  const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v))
  if (bad >= 0)
    throw new WorkbenchError(
      'invalid_arguments',
      `${what}: value ${bad + 1} of ${values.length} is ${String(values[bad])}, not a finite number`,
      { field: what, index: bad },
    )
  return [...values]
}

/** Arithmetic mean; the values must not be empty. */
export const meanOfValues = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length

/**
 * Sample standard deviation s = √(Σ(x - x̄)² / (n - 1)), by two passes (the centred sum of
 * squares does not lose digits when the values are large and close, as accuracies are).
 */
export function sampleStandardDeviation(values: readonly number[]): number | null {
  if (values.length < 2) return null
  const mean = meanOfValues(values)
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0)
  return Math.sqrt(squares / (values.length - 1))
}

/**
 * Mean and interval of the mean over seeds: x̄ ± t(1 - α/2, n - 1) · s / √n, Student's t interval
 * for the mean of n independent runs (Student 1908; any text, e.g. Wasserman, All of Statistics,
 * 2004, §10). One seed gives [x̄, x̄] with the note ONE_SEED, never NaN.
 */
export function summarizeSeeds(
  values: readonly number[],
  options: { level?: number; what?: string } = {},
): SeedSummary {
  const what = options.what ?? 'values over seeds'
  const level = options.level ?? 0.95
  if (!(level > 0 && level < 1))
    throw new WorkbenchError(
      'invalid_arguments',
      `${what}: the interval level must be between 0 and 1 (got ${level})`,
      { field: 'level' },
    )
  const checked = checkedValues(values, what)
  const n = checked.length
  const mean = meanOfValues(checked)
  const sd = sampleStandardDeviation(checked)
  if (sd === null) return { n, mean, sd, ci95: [mean, mean], note: ONE_SEED, values: checked }
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n))
  return { n, mean, sd, ci95: [mean - half, mean + half], values: checked }
}

/**
 * The paired difference a - b per seed (a[i] and b[i] trained on the same seed i) with its
 * Student's t interval: the paired t interval, whose width reflects only how the difference
 * varies across seeds, not how each method does (e.g. Wasserman 2004, §10.7).
 */
export function pairedDifferences(
  a: readonly number[],
  b: readonly number[],
  options: { level?: number; what?: string } = {},
): SeedSummary {
  const what = options.what ?? 'paired differences'
  if (a.length !== b.length) {
    throw new WorkbenchError(
      'invalid_arguments',
      `${what}: ${a.length} values against ${b.length}; a paired difference needs one value of each per seed`,
      { field: what, a: a.length, b: b.length },
    )
  }
  const left = checkedValues(a, `${what} (first)`)
  const right = checkedValues(b, `${what} (second)`)
  return summarizeSeeds(
    left.map((v, i) => v - right[i]),
    { ...options, what },
  )
}
