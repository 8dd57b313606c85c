import * as tf from '@tensorflow/tfjs'

// The SJMT loss (Pons & Masip eq. 1), generalised from "the labels of the sample's dataset" to
// "the labels known for this sample": an unknown label contributes nothing, not even a gradient,
// so an AU output is never pushed down on an emotion-only image for an AU nobody annotated.

/** Throws when a tensor does not have the shape of the logits, naming which one. */
export function expectSameShape(what: string, logits: tf.Tensor, other: tf.Tensor, name: string): void {
  if (other.shape.length !== logits.shape.length || other.shape.some((d, i) => d !== logits.shape[i])) {
    throw new Error(
      `${what}: ${name} has shape [${other.shape.join(', ')}] but the logits have [${logits.shape.join(', ')}]`,
    )
  }
}

/**
 * mean over the batch of (1/N) * sum over known labels j of BCE(sigmoid(x_j), y_j), N = columns.
 * Uses the stable form max(x, 0) - x*y + log(1 + exp(-|x|)), which never overflows. `rows`, when
 * given, divides the sum over the rows instead of their number (these rows are part of a batch:
 * loss/batch-counts.ts).
 */
export function selectiveSigmoidCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  rows?: number,
): tf.Scalar {
  expectSameShape('selective sigmoid cross-entropy', logits, labels, 'labels')
  expectSameShape('selective sigmoid cross-entropy', logits, mask, 'mask')
  return tf.tidy(() => {
    const n = logits.shape[1]
    const bce = tf
      .relu(logits)
      .sub(logits.mul(labels))
      .add(tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))
    const perRow = bce.mul(mask).sum(1).div(n)
    // A part whose denominator is its own rows (sjmt's, in every shard) keeps the mean's arithmetic, so
    // its runs on workers round as before.
    const ownMean = rows === undefined || rows === logits.shape[0]
    return (ownMean ? perRow.mean() : perRow.sum().div(rows)) as tf.Scalar
  })
}
