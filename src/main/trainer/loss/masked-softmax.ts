import * as tf from '@tensorflow/tfjs'
import { expectSameShape } from './selective-sigmoid'

// Softmax cross-entropy for one emotion per image (method single and the emotion part of a
// multitask head). Rows whose emotion is unknown are left out of the mean instead of being
// trained towards an arbitrary class.

/**
 * Mean over rows with rowMask = 1 of -sum_j target_j * log softmax(x)_j. `targets` is a one-hot
 * row (or a distribution); 0 when no row of the batch has a known emotion. `knownRows`, when given,
 * divides the sum instead of the number of rows with rowMask = 1 (these rows are part of a batch:
 * loss/batch-counts.ts).
 */
export function maskedSoftmaxCrossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor2D,
  rowMask: tf.Tensor1D,
  knownRows?: number,
): tf.Scalar {
  expectSameShape('masked softmax cross-entropy', logits, targets, 'targets')
  if (rowMask.shape.length !== 1 || rowMask.shape[0] !== logits.shape[0]) {
    throw new Error(
      `masked softmax cross-entropy: rowMask has shape [${rowMask.shape.join(', ')}] but the batch has ${logits.shape[0]} rows`,
    )
  }
  return tf.tidy(() => {
    const perRow = tf.neg(targets.mul(tf.logSoftmax(logits)).sum(1))
    const denominator = knownRows === undefined ? tf.maximum(rowMask.sum(), 1) : knownRows
    return perRow.mul(rowMask).sum().div(denominator) as tf.Scalar
  })
}
