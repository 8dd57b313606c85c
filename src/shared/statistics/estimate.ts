// What every agreement statistic returns: a value, or null with the reason it is undefined for
// these data (e.g. kappa when every code is in one category), never NaN; n says how many items
// entered it, so a table can show "0.82 (n = 240)".

export type Estimate = { value: number; n: number; reason?: undefined } | { value: null; n: number; reason: string }

/** An estimate with its bootstrap interval over items. */
export type Coefficient = Estimate & {
  /** Percentile bootstrap 95% interval over items; null when there is no value or too few defined resamples. */
  ci95: [number, number] | null
  /** Why ci95 is null, when it is. */
  ciReason?: string
}

export const defined = (value: number, n: number): Estimate => ({ value, n })
export const undefinedBecause = (reason: string, n: number): Estimate => ({ value: null, n, reason })
