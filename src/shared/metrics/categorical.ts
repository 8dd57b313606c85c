import { argMax, columnsOfKind, f1Of, meanOf, selectedRows, type Predictions } from './types'

// Metrics of a one-label-per-image task (basic emotions, or compound emotions): the prediction is
// the arg-max over that kind's outputs, whatever the method's output activation; only rows whose
// true class is known take part. To restrict the arg-max (e.g. to the 7 emotions of SFEW), give the
// other columns a NaN probability.

export type CategoricalKind = 'emotion' | 'compound'

export interface ConfusionMatrix {
  /** Class codes, in the order of the matrix's rows (true) and columns (predicted). */
  labels: string[]
  /** matrix[true][predicted] = number of images. */
  matrix: number[][]
}

export interface CategoricalReport {
  kind: CategoricalKind
  /** Images with a known true class and a prediction. */
  rows: number
  /** Top-1 accuracy. */
  accuracy: number | null
  /** Mean over classes with at least one image of the share of that class predicted right (recall). */
  meanPerClassAccuracy: number | null
  /** Mean F1 over the classes that are true or predicted at least once. */
  macroF1: number | null
  confusion: ConfusionMatrix
}

/** The known present class of a row among `columns`; -1 when none or several are known present. */
export function trueClassOf(p: Predictions, row: number, columns: readonly number[]): number {
  const n = p.classes.length
  let found = -1
  for (const c of columns) {
    if (p.mask[row * n + c] === 1 && p.labels[row * n + c] === 1) {
      if (found >= 0) return -1
      found = c
    }
  }
  return found
}

/** Confusion matrix of one kind over the given rows (default: all). */
export function confusionMatrix(p: Predictions, kind: CategoricalKind, rows?: ArrayLike<number>): ConfusionMatrix {
  const columns = columnsOfKind(p.classes, kind)
  const position = new Map(columns.map((c, i) => [c, i]))
  const matrix = columns.map(() => columns.map(() => 0))
  const selected = selectedRows(p, rows)
  for (let i = 0; i < selected.length; i++) {
    const row = selected[i]
    const truth = trueClassOf(p, row, columns)
    if (truth < 0) continue
    const predicted = argMax(p, row, columns)
    if (predicted < 0) continue
    matrix[position.get(truth)!][position.get(predicted)!]++
  }
  return { labels: columns.map((c) => p.classes[c].code), matrix }
}

/** Accuracy, mean per-class accuracy and macro-F1 read off a confusion matrix. */
export function categoricalReport(p: Predictions, kind: CategoricalKind, rows?: ArrayLike<number>): CategoricalReport {
  const confusion = confusionMatrix(p, kind, rows)
  const m = confusion.matrix
  const k = m.length
  let total = 0
  let correct = 0
  const recalls: (number | null)[] = []
  const f1s: (number | null)[] = []
  for (let i = 0; i < k; i++) {
    const support = m[i].reduce((a, b) => a + b, 0)
    const predicted = m.reduce((a, r) => a + r[i], 0)
    const tp = m[i][i]
    total += support
    correct += tp
    recalls.push(support > 0 ? tp / support : null)
    f1s.push(f1Of(tp, predicted - tp, support - tp))
  }
  return {
    kind,
    rows: total,
    accuracy: total > 0 ? correct / total : null,
    meanPerClassAccuracy: meanOf(recalls),
    macroF1: meanOf(f1s),
    confusion,
  }
}
