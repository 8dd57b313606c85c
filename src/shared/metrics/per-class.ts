import { argMax, columnsOfKind, f1Of, selectedRows, type ClassRef, type Predictions } from './types'

// One-vs-rest scores of every class over its known labels: the paper's per-class accuracy (eq. 3,
// (TP + TN) / N), and beside it what that accuracy hides for rare classes such as most AUs: the
// base rate (a model that always says "absent" scores 1 - base rate) and precision, recall, F1.
// An AU is predicted present when its probability is >= threshold; an emotion or compound when it
// is the arg-max of its kind's outputs.

export interface ClassScore extends ClassRef {
  /** (TP + TN) / support. */
  accuracy: number | null
  precision: number | null
  recall: number | null
  /** 2TP / (2TP + FP + FN). */
  f1: number | null
  /** Share of the known labels that are present. */
  baseRate: number | null
  /** Number of known labels of this class (with a prediction). */
  support: number
}

export function perClassScores(
  p: Predictions,
  options: { rows?: ArrayLike<number>; threshold?: number } = {},
): ClassScore[] {
  const n = p.classes.length
  const threshold = options.threshold ?? 0.5
  const rows = selectedRows(p, options.rows)
  const groups = { emotion: columnsOfKind(p.classes, 'emotion'), compound: columnsOfKind(p.classes, 'compound') }
  const counts = p.classes.map(() => ({ tp: 0, fp: 0, tn: 0, fn: 0 }))
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]
    const winners = { emotion: argMax(p, row, groups.emotion), compound: argMax(p, row, groups.compound) }
    for (let c = 0; c < n; c++) {
      const at = row * n + c
      const prob = p.probabilities[at]
      if (p.mask[at] !== 1 || Number.isNaN(prob)) continue
      const kind = p.classes[c].kind
      const said = kind === 'au' ? prob >= threshold : winners[kind] === c
      const truth = p.labels[at] === 1
      const k = counts[c]
      if (said && truth) k.tp++
      else if (said) k.fp++
      else if (truth) k.fn++
      else k.tn++
    }
  }
  return p.classes.map((cls, c) => {
    const { tp, fp, tn, fn } = counts[c]
    const support = tp + fp + tn + fn
    return {
      code: cls.code,
      kind: cls.kind,
      accuracy: support ? (tp + tn) / support : null,
      precision: tp + fp ? tp / (tp + fp) : null,
      recall: tp + fn ? tp / (tp + fn) : null,
      f1: f1Of(tp, fp, fn),
      baseRate: support ? (tp + fn) / support : null,
      support,
    }
  })
}
