import * as tf from '@tensorflow/tfjs'
import { fileURLToPath } from 'node:url'

/*
 * The benchmark's loss, the same as the PyTorch peer's: sigmoid cross-entropy on the 'out' head,
 * times a mask, averaged over all entries. Its own module because data-parallel workers import the
 * loss by file.
 */

export function maskedSigmoidLoss(logits: Record<string, tf.Tensor2D>, targets: Record<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    const x = logits.out
    const y = targets.labels
    const m = targets.mask
    // max(x, 0) - x*y + log(1 + exp(-|x|)): the stable form of BCE with logits.
    const bce = tf.add(tf.sub(tf.relu(x), tf.mul(x, y)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))))
    return tf.mean(tf.mul(bce, m)) as tf.Scalar
  })
}

/** This module as a file workers can import (the benchmarks run from the sources, under tsx). */
export function benchLossModule(): { module: string; exportName: string } {
  return { module: fileURLToPath(import.meta.url), exportName: 'maskedSigmoidLoss' }
}
