import { argMax, columnsOfKind, rowCount, selectedRows, type Predictions } from './types'

// The paper's Fig. 2: on images that carry no AU labels, the mean predicted probability of each AU
// grouped by the emotion the model predicts. Psychologists read it to check that the AUs the model
// "sees" are coherent with its emotions (happy -> AU6, AU12; surprise -> AU2, AU26...).

export interface AuByEmotion {
  /** Emotion codes: the matrix's rows. */
  emotions: string[]
  /** AU codes: the matrix's columns. */
  aus: string[]
  /** matrix[emotion][au] = mean predicted AU probability over the images predicted as that emotion; null when none. */
  matrix: (number | null)[][]
  /** Images predicted as each emotion. */
  counts: number[]
}

/** Rows with a known emotion and no known AU: the paper's emotion-only images (SFEW). */
export function emotionOnlyRows(p: Predictions): Int32Array {
  const n = p.classes.length
  const rows = rowCount(p)
  const emotions = columnsOfKind(p.classes, 'emotion')
  const aus = columnsOfKind(p.classes, 'au')
  const out: number[] = []
  for (let r = 0; r < rows; r++) {
    const known = (c: number): boolean => p.mask[r * n + c] === 1
    if (emotions.some(known) && !aus.some(known)) out.push(r)
  }
  return Int32Array.from(out)
}

/** Mean predicted AU probability per predicted emotion over the given rows (default: all). */
export function auByEmotion(p: Predictions, rows?: ArrayLike<number>): AuByEmotion {
  const n = p.classes.length
  const emotions = columnsOfKind(p.classes, 'emotion')
  const aus = columnsOfKind(p.classes, 'au')
  const position = new Map(emotions.map((c, i) => [c, i]))
  const sums = emotions.map(() => aus.map(() => 0))
  const cells = emotions.map(() => aus.map(() => 0))
  const counts = emotions.map(() => 0)
  const selected = selectedRows(p, rows)
  for (let i = 0; i < selected.length; i++) {
    const row = selected[i]
    const predicted = argMax(p, row, emotions)
    if (predicted < 0) continue
    const e = position.get(predicted)!
    counts[e]++
    aus.forEach((c, a) => {
      const v = p.probabilities[row * n + c]
      if (Number.isNaN(v)) return
      sums[e][a] += v
      cells[e][a]++
    })
  }
  return {
    emotions: emotions.map((c) => p.classes[c].code),
    aus: aus.map((c) => p.classes[c].code),
    matrix: sums.map((row, e) => row.map((s, a) => (cells[e][a] ? s / cells[e][a] : null))),
    counts,
  }
}
