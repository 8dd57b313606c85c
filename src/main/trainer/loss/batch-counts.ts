import type { HeadView } from '../data/snapshot'

// The losses are means over the rows where a label is known: a head's rows, the rows with a known
// emotion (softmax), the rows with known landmarks. A step computed in parts (data-parallel shards,
// GPU passes) weighs each part's gradients by its share of the batch's images. A part's own mean
// would then weigh its known rows by how many of them that part happens to hold: with emotions
// known on 16 rows of one shard and 4 of the other, a row of the second counted 4 times more than
// one of the first, against equal weights in the whole batch's mean. So each part divides by the
// whole batch's count times its share of the images: weighted by that share, every known row of the
// batch counts 1 / (the whole batch's count), as in one pass over the whole batch.

/** What the whole batch holds, for the means of a loss computed on part of it. */
export interface BatchCounts {
  /** Images in the whole batch. */
  images: number
  /** Per head: the rows it learns from (its dataset's, or all) and, of those, the rows with a known emotion. */
  heads: Record<string, { rows: number; emotionRows: number }>
  /** Rows whose landmarks are known. */
  landmarkRows: number
}

/** The rows of a batch as the counts need them (a Batch, or any slice with these arrays). */
export interface CountedRows {
  labels: ArrayLike<number>
  mask: ArrayLike<number>
  datasetIndex: ArrayLike<number>
  landmarksKnown?: ArrayLike<number>
}

/** A row's emotion is known when one of the head's softmax classes is known present (as headLoss takes it). */
function hasKnownEmotion(view: HeadView, rows: CountedRows, r: number, classCount: number): boolean {
  return view.softmax.some((pos) => {
    const at = r * classCount + view.columns[pos]
    return rows.labels[at] * rows.mask[at] > 0
  })
}

/** The counts of a whole batch of `classCount` union columns. */
export function batchCounts(views: readonly HeadView[], batch: CountedRows, classCount: number): BatchCounts {
  const images = batch.datasetIndex.length
  const heads: BatchCounts['heads'] = {}
  for (const view of views) {
    let rows = 0
    let emotionRows = 0
    for (let r = 0; r < images; r++) {
      if (view.datasetIndex !== null && batch.datasetIndex[r] !== view.datasetIndex) continue
      rows++
      if (view.softmax.length > 0 && hasKnownEmotion(view, batch, r, classCount)) emotionRows++
    }
    heads[view.head] = { rows, emotionRows }
  }
  let landmarkRows = 0
  for (let r = 0; r < images && batch.landmarksKnown; r++) if (batch.landmarksKnown[r] > 0) landmarkRows++
  return { images, heads, landmarkRows }
}

/**
 * The denominator of a mean over `count` rows of the whole batch, for a part of `partImages` of its
 * images: count x the part's share (multiplied first, so an even split divides exactly); 1 when the
 * batch has no such row (the part has none either, and its sum is 0).
 */
export function partDenominator(count: number, partImages: number, wholeImages: number): number {
  return count > 0 ? (count * partImages) / wholeImages : 1
}

/** The denominators of a head's two means (its rows, its rows with a known emotion) on a part of the batch. */
export function headDenominators(
  counts: BatchCounts,
  head: string,
  partImages: number,
): { rows: number; emotionRows: number } {
  const whole = counts.heads[head] ?? { rows: 0, emotionRows: 0 }
  return {
    rows: partDenominator(whole.rows, partImages, counts.images),
    emotionRows: partDenominator(whole.emotionRows, partImages, counts.images),
  }
}
