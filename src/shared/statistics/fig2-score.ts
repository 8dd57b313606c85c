import { meanAbsoluteError, spearman } from './correlation'
import type { Estimate } from './estimate'

// The paper's Fig. 2 as one number per run (issue 16 item 3): how well the mean predicted AU per
// predicted emotion on emotion-only faces matches a reference matrix (the demo generator's hidden
// truth, or the EMFACS prototypes on real data, 1 where the prototype has the AU and 0 elsewhere).

/** An AU-by-emotion matrix: rows are emotions, columns AUs, null where there is no value. */
export interface AuByEmotionMatrix {
  emotions: readonly string[]
  aus: readonly string[]
  matrix: readonly (readonly (number | null)[])[]
  /** Images behind each row (the predicted matrix has them): a row with 0 was never predicted. */
  counts?: readonly number[]
}

export interface AuByEmotionScore {
  /** Mean over the counted cells of |predicted - reference|: 0 is a perfect match, on the probability scale. */
  meanAbsoluteError: Estimate
  /** Spearman's rank correlation over the counted cells: 1 when the cells are in the same order. */
  spearman: Estimate
  /** Cells compared. */
  cells: number
  /** Emotions whose row was compared. */
  emotions: string[]
  /** Emotions the model never predicted on these faces: their row has no value and is left out (named here, so a model that predicts one emotion is not mistaken for a good one). */
  emotionsNeverPredicted: string[]
  /** Predicted emotions and AUs the reference has no row or column for (e.g. compound emotions against EMFACS): left out. */
  withoutReference: string[]
}

const neverPredicted = (m: AuByEmotionMatrix, e: number): boolean =>
  m.counts ? m.counts[e] === 0 : m.matrix[e].every((v) => v === null)

/**
 * Scores a predicted AU-by-emotion matrix against a reference. Rows are matched by emotion code,
 * columns by AU code. A cell counts when the emotion was predicted at least once, both matrices
 * have the emotion and the AU, and both values are numbers. The cells are weighted equally (not by
 * the images behind each row), so that a rare emotion's AUs matter as much as a common one's.
 */
export function scoreAuByEmotion(predicted: AuByEmotionMatrix, reference: AuByEmotionMatrix): AuByEmotionScore {
  const referenceRow = new Map(reference.emotions.map((e, i) => [e, i]))
  const referenceColumn = new Map(reference.aus.map((a, j) => [a, j]))
  const left: number[] = []
  const right: number[] = []
  const emotions: string[] = []
  const emotionsNeverPredicted: string[] = []
  const withoutReference = predicted.aus.filter((a) => !referenceColumn.has(a))
  predicted.emotions.forEach((emotion, e) => {
    const r = referenceRow.get(emotion)
    if (r === undefined) return void withoutReference.push(emotion)
    if (neverPredicted(predicted, e)) return void emotionsNeverPredicted.push(emotion)
    emotions.push(emotion)
    predicted.aus.forEach((au, a) => {
      const c = referenceColumn.get(au)
      const p = predicted.matrix[e][a]
      const q = c === undefined ? null : reference.matrix[r][c]
      if (p === null || q === null) return
      left.push(p)
      right.push(q)
    })
  })
  return {
    meanAbsoluteError: meanAbsoluteError(left, right, 'Fig. 2 cells'),
    spearman: spearman(left, right, 'Fig. 2 cells'),
    cells: left.length,
    emotions,
    emotionsNeverPredicted,
    withoutReference,
  }
}
