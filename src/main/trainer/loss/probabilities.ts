import * as tf from '@tensorflow/tfjs'
import type { HeadView } from '../data/snapshot'

// Turns the heads' logits into probabilities laid out over the union label space, the layout the
// metrics (src/shared/metrics) and the predictions table expect, whatever the method.

/** Probabilities of one head: softmax over its softmax positions, sigmoid over the others. */
export function headProbabilities(view: HeadView, logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    if (view.softmax.length === 0) return tf.sigmoid(logits)
    const parts: tf.Tensor2D[] = []
    const order: number[] = []
    parts.push(tf.softmax(tf.gather(logits, view.softmax, 1)))
    order.push(...view.softmax)
    if (view.sigmoid.length > 0) {
      parts.push(tf.sigmoid(tf.gather(logits, view.sigmoid, 1)))
      order.push(...view.sigmoid)
    }
    // Put the columns back in the head's own order.
    const back = order.map((_, pos) => order.indexOf(pos))
    return tf.gather(tf.concat(parts, 1), back, 1)
  })
}

/**
 * rows x N probabilities over the union label space from each head's rows x width probabilities;
 * NaN where no head predicts a class. When two heads predict the same class (multitask, shared
 * classes), the head of the row's own dataset wins.
 */
export function toUnionLayout(
  views: readonly HeadView[],
  headOutputs: Readonly<Record<string, Float32Array>>,
  datasetIndex: ArrayLike<number>,
  classCount: number,
): Float32Array {
  const rows = datasetIndex.length
  for (const view of views) {
    const p = headOutputs[view.head]
    const k = view.columns.length
    if (!p || p.length !== rows * k)
      throw new Error(
        `predictions: head '${view.head}' gave ${p?.length ?? 0} values, expected ${rows} rows x ${k} classes`,
      )
  }
  const out = new Float32Array(rows * classCount).fill(Number.NaN)
  const write = (view: HeadView, r: number): void => {
    const p = headOutputs[view.head]
    const k = view.columns.length
    for (let j = 0; j < k; j++) out[r * classCount + view.columns[j]] = p[r * k + j]
  }
  for (let r = 0; r < rows; r++) {
    for (const view of views) if (view.datasetIndex !== datasetIndex[r]) write(view, r)
    for (const view of views) if (view.datasetIndex === datasetIndex[r]) write(view, r)
  }
  return out
}
