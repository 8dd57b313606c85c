import { auByEmotion, emotionOnlyRows, type AuByEmotion } from './fig2-aus-by-emotion'
import { categoricalReport, type CategoricalReport, type ConfusionMatrix } from './categorical'
import { perClassScores, type ClassScore } from './per-class'
import { meanOf, rowCount, type Predictions } from './types'

// Everything one evaluation reports, for the run's metrics chart, the results table and the Fig. 2
// heat-map: the paper's numbers (emotion accuracy, per-class accuracy) and those that keep them
// honest (AU F1 beside the base rate, mean per-class accuracy, macro-F1).

export interface Evaluation {
  /** Images evaluated. */
  rows: number
  /** Images with a known emotion (the denominator of the emotion scores). */
  emotionRows: number
  /** Top-1 accuracy of the arg-max over the emotion outputs; null without emotion labels. */
  emotionAccuracy: number | null
  /** Mean over emotions of the share of each emotion's images predicted right. */
  meanPerClassAccuracy: number | null
  macroF1: number | null
  /** Mean F1 over the AUs whose F1 is defined. */
  auF1Mean: number | null
  /** Mean per-AU accuracy (eq. 3) over the AUs with known labels: the paper's AU figure. */
  auAccuracyMean: number | null
  perClass: ClassScore[]
  confusion: ConfusionMatrix
  /** Fig. 2: mean predicted AU probability per predicted emotion (default rows: emotion-only images). */
  auByEmotion: AuByEmotion
  /** The same scores for compound emotions (paper Table 4); null when there is no compound class. */
  compound: CategoricalReport | null
}

export interface EvaluateOptions {
  /** Rows to evaluate (default: all). */
  rows?: ArrayLike<number>
  /** Rows of the Fig. 2 matrix (default: the evaluated rows with a known emotion and no known AU). */
  auByEmotionRows?: ArrayLike<number>
  /** Probability from which an AU counts as predicted present (default 0.5). */
  threshold?: number
}

export function evaluate(p: Predictions, options: EvaluateOptions = {}): Evaluation {
  const rows = options.rows ?? Int32Array.from({ length: rowCount(p) }, (_, i) => i)
  const perClass = perClassScores(p, { rows, threshold: options.threshold })
  const emotion = categoricalReport(p, 'emotion', rows)
  const aus = perClass.filter((c) => c.kind === 'au')
  const inRows = new Set(Array.from(rows))
  const figRows = options.auByEmotionRows ?? emotionOnlyRows(p).filter((r) => inRows.has(r))
  return {
    rows: rows.length,
    emotionRows: emotion.rows,
    emotionAccuracy: emotion.accuracy,
    meanPerClassAccuracy: emotion.meanPerClassAccuracy,
    macroF1: emotion.macroF1,
    auF1Mean: meanOf(aus.map((c) => c.f1)),
    auAccuracyMean: meanOf(aus.map((c) => c.accuracy)),
    perClass,
    confusion: emotion.confusion,
    auByEmotion: auByEmotion(p, figRows),
    compound: p.classes.some((c) => c.kind === 'compound') ? categoricalReport(p, 'compound', rows) : null,
  }
}
