import * as tf from '@tensorflow/tfjs'
import type { HeadView } from '../data/snapshot'
import { headDenominators, type BatchCounts } from './batch-counts'
import { maskedSoftmaxCrossEntropy } from './masked-softmax'
import { selectiveSigmoidCrossEntropy } from './selective-sigmoid'

// The loss of one training step for any method, from the heads' logits and the batch's labels over
// the union label space. The methods differ only in their HeadViews (data/snapshot.ts#headViews):
//   sjmt      one head over every class, selective sigmoid cross-entropy over all rows;
//   multitask one head per dataset, trained only on that dataset's rows and classes;
//   single    one head over one dataset's emotions (softmax) or AUs (sigmoid).

export interface LossBatch {
  /** batch x N over the union label space, 1 present / 0 absent (float). */
  labels: tf.Tensor2D
  /** batch x N, 1 where the label is known. */
  mask: tf.Tensor2D
  /** The dataset of each row (index into the snapshot's datasets). */
  datasetIndex: ArrayLike<number>
}

const gatherColumns = (t: tf.Tensor2D, columns: number[]): tf.Tensor2D =>
  columns.length === t.shape[1] && columns.every((c, i) => c === i) ? t : tf.gather(t, columns, 1)

/**
 * Loss of one head on the rows it learns from; null when the batch holds none of them. Its means
 * are over the batch's own rows unless `denominators` says what to divide by instead (the batch is
 * part of a bigger one: loss/batch-counts.ts).
 */
export function headLoss(
  view: HeadView,
  logits: tf.Tensor2D,
  batch: LossBatch,
  denominators?: { rows: number; emotionRows: number },
): tf.Scalar | null {
  if (logits.shape[1] !== view.columns.length) {
    throw new Error(
      `loss: head '${view.head}' outputs ${logits.shape[1]} values but learns ${view.columns.length} classes`,
    )
  }
  const rows: number[] = []
  for (let r = 0; r < batch.datasetIndex.length; r++)
    if (view.datasetIndex === null || batch.datasetIndex[r] === view.datasetIndex) rows.push(r)
  if (rows.length === 0) return null
  return tf.tidy(() => {
    const pick = (t: tf.Tensor2D): tf.Tensor2D => (rows.length === t.shape[0] ? t : tf.gather(t, rows, 0))
    const x = pick(logits)
    const y = pick(gatherColumns(batch.labels, view.columns))
    const m = pick(gatherColumns(batch.mask, view.columns))
    let loss = tf.scalar(0)
    if (view.sigmoid.length > 0) {
      loss = loss.add(
        selectiveSigmoidCrossEntropy(
          gatherColumns(x, view.sigmoid),
          gatherColumns(y, view.sigmoid),
          gatherColumns(m, view.sigmoid),
          denominators?.rows,
        ),
      )
    }
    if (view.softmax.length > 0) {
      // Target = the known present emotion(s) of the row; rows without one are left out.
      const known = gatherColumns(y, view.softmax).mul(gatherColumns(m, view.softmax)) as tf.Tensor2D
      const count = known.sum(1, true)
      const rowMask = count.greater(0).cast('float32').reshape([-1]) as tf.Tensor1D
      loss = loss.add(
        maskedSoftmaxCrossEntropy(
          gatherColumns(x, view.softmax),
          known.div(tf.maximum(count, 1)),
          rowMask,
          denominators?.emotionRows,
        ),
      )
    }
    return loss as tf.Scalar
  })
}

/**
 * Sum of the heads' losses for one batch (each head: mean over its own rows), or, with `counts`, for
 * a part of the batch they describe (its means divide by the whole batch's counts: batch-counts.ts).
 */
export function lossForMethod(
  views: readonly HeadView[],
  logits: Readonly<Record<string, tf.Tensor2D>>,
  batch: LossBatch,
  counts?: BatchCounts,
): tf.Scalar {
  const rows = batch.labels.shape[0]
  if (batch.mask.shape[0] !== rows || batch.datasetIndex.length !== rows) {
    throw new Error(
      `loss: batch has ${rows} label rows, ${batch.mask.shape[0]} mask rows and ${batch.datasetIndex.length} dataset indices`,
    )
  }
  return tf.tidy(() => {
    let total = tf.scalar(0)
    for (const view of views) {
      const x = logits[view.head]
      if (!x)
        throw new Error(
          `loss: the network has no output head '${view.head}' (it has ${Object.keys(logits)
            .map((h) => `'${h}'`)
            .join(', ')})`,
        )
      const loss = headLoss(view, x, batch, counts && headDenominators(counts, view.head, rows))
      if (loss) total = total.add(loss)
    }
    return total as tf.Scalar
  })
}
