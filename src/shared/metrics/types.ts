import type { ClassKind } from '../labels'

// What every evaluation function reads: a model's probabilities and the known labels, both laid
// out over the same columns (usually the union label space, in the snapshot's column order).

export interface ClassRef {
  code: string
  kind: ClassKind
}

export interface Predictions {
  /** The columns, in order. */
  classes: readonly ClassRef[]
  /** rows x N, row-major. NaN = the model does not predict this class (e.g. another head's class). */
  probabilities: Float32Array
  /** rows x N, row-major: 1 present, 0 absent (meaningful only where mask is 1). */
  labels: Uint8Array
  /** rows x N, row-major: 1 where the label is known. */
  mask: Uint8Array
}

/** Number of rows, after checking that the matrices agree with the class list. */
export function rowCount(p: Predictions): number {
  const n = p.classes.length
  if (n === 0) throw new Error('evaluation: no classes to evaluate')
  const rows = p.labels.length / n
  if (!Number.isInteger(rows) || p.mask.length !== p.labels.length || p.probabilities.length !== p.labels.length) {
    throw new Error(
      `evaluation: ${n} classes but ${p.probabilities.length} probabilities, ${p.labels.length} labels and ${p.mask.length} mask values (each must be rows x ${n})`,
    )
  }
  return rows
}

/** The rows to evaluate: the given subset, or every row. */
export const selectedRows = (p: Predictions, rows?: ArrayLike<number>): ArrayLike<number> =>
  rows ?? Int32Array.from({ length: rowCount(p) }, (_, i) => i)

/** Column indices of one kind of class. */
export const columnsOfKind = (classes: readonly ClassRef[], kind: ClassKind): number[] =>
  classes.flatMap((c, i) => (c.kind === kind ? [i] : []))

/** The column with the highest probability among `columns` in a row, ignoring NaN; -1 if none. */
export function argMax(p: Predictions, row: number, columns: readonly number[]): number {
  const n = p.classes.length
  let best = -1
  let bestValue = -Infinity
  for (const c of columns) {
    const v = p.probabilities[row * n + c]
    if (v > bestValue) {
      best = c
      bestValue = v
    }
  }
  return best
}

/** Mean of the defined values; null when there are none. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null)
  return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : null
}

/** 2TP / (2TP + FP + FN): F1 without dividing by an undefined precision; null when all three are 0. */
export const f1Of = (tp: number, fp: number, fn: number): number | null =>
  tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn)
