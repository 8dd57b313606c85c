// How numbers read in the researcher's views: percentages like the paper's tables, durations and
// times left in words, metric names as a person says them.

/** 0.4125 -> "41.3%"; null -> "–" (not measured). */
export const percent = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(digits)}%`

/** A probability or loss with its precision: 0.8312 -> "0.83". */
export const decimal = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits)

/** 75 -> "1 min 15 s", 4000 -> "1 h 6 min", 12 -> "12 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–'
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}

const METRIC_NAMES: Record<string, string> = {
  loss: 'loss',
  learningRate: 'learning rate',
  emotionAccuracy: 'emotion accuracy',
  auF1Mean: 'mean AU F1',
  auAccuracyMean: 'mean AU accuracy',
  meanPerClassAccuracy: 'mean per-class accuracy',
  macroF1: 'macro-F1',
}

/** "val", "emotionAccuracy" -> "Validation emotion accuracy"; "train", "loss/demo-au" -> "Training loss (demo-au)". */
export function metricLabel(split: string, name: string): string {
  const [base, head] = name.split('/')
  const where = split === 'val' ? 'Validation' : split === 'train' ? 'Training' : split === 'test' ? 'Test' : split
  const what = METRIC_NAMES[base] ?? base
  return `${where} ${what}${head ? ` (${head === 'union' ? 'all classes' : head})` : ''}`
}

/** Metrics read as shares (shown as percentages), as opposed to losses and learning rates. */
export const isShare = (name: string): boolean => !/loss|learningRate/i.test(name)
