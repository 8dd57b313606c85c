import * as tf from '@tensorflow/tfjs'
import { batchNorm, BatchNormVariables } from './batch-norm'
import { ParamStore } from './params'
import { Trunk } from './resnet'

/*
 * A small VGG-style baseline: three stages of two 3x3 conv-BN-ReLU layers (32, 64, 128 filters), each
 * stage followed by 2x2 max pooling, then global average pooling. About 0.29M weights, the same order
 * as ResNet-20, so the comparison is about the residual design, not the size.
 */

const STAGES = [32, 64, 128]

export function buildVggSmallTrunk(params: ParamStore, channels: number): Trunk {
  const layers: { kernel: tf.Variable; bn: BatchNormVariables; poolAfter: boolean }[] = []
  let cin = channels
  STAGES.forEach((filters, s) => {
    for (let i = 0; i < 2; i++) {
      const name = `stage${s + 1}/conv${i + 1}`
      layers.push({
        kernel: params.convKernel(name, 3, cin, filters),
        bn: params.batchNorm(`stage${s + 1}/bn${i + 1}`, filters),
        poolAfter: i === 1,
      })
      cin = filters
    }
  })
  return {
    features: STAGES[STAGES.length - 1],
    apply(x, training) {
      let h = x
      for (const l of layers) {
        h = batchNorm(tf.conv2d(h, l.kernel as tf.Tensor4D, 1, 'same'), l.bn, { training, relu: true })
        if (l.poolAfter) h = tf.maxPool(h, 2, 2, 'same')
      }
      return tf.mean(h, [1, 2]) as tf.Tensor2D
    },
  }
}
