import * as tf from '@tensorflow/tfjs'
import { batchNorm, BatchNormVariables } from './batch-norm'
import { ParamStore } from './params'

/*
 * CIFAR-style ResNet-(6n+2) (He et al. 2016, section 4.2): a 3x3 conv stem, three stages of n basic
 * blocks with 16, 32 and 64 filters (the first block of stages 2 and 3 halves the resolution), then
 * global average pooling. The shortcut is the identity, or a 1x1 conv without batch norm when the
 * shape changes, as in the PyTorch peer used for the speed comparison. The stem is conv-BN-ReLU as in
 * the paper (the peer's stem is a plain conv; the difference costs one BN at 32x32x16).
 */

interface Block {
  stride: number
  conv1: tf.Variable
  bn1: BatchNormVariables
  conv2: tf.Variable
  bn2: BatchNormVariables
  shortcut?: tf.Variable
}

export interface Trunk {
  features: number
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor2D
}

export function resnetDepthToBlocks(depth: number): number {
  if ((depth - 2) % 6 !== 0 || depth < 8) throw new Error(`ResNet depth must be 6n+2 with n >= 1 (got ${depth})`)
  return (depth - 2) / 6
}

export function buildResnetTrunk(params: ParamStore, depth: number, channels: number): Trunk {
  const n = resnetDepthToBlocks(depth)
  const stem = { conv: params.convKernel('stem/conv', 3, channels, 16), bn: params.batchNorm('stem/bn', 16) }
  const blocks: Block[] = []
  let cin = 16
  ;[16, 32, 64].forEach((filters, s) => {
    for (let i = 0; i < n; i++) {
      const stride = s > 0 && i === 0 ? 2 : 1
      const name = `stage${s + 1}/block${i + 1}`
      blocks.push({
        stride,
        conv1: params.convKernel(`${name}/conv1`, 3, cin, filters),
        bn1: params.batchNorm(`${name}/bn1`, filters),
        conv2: params.convKernel(`${name}/conv2`, 3, filters, filters),
        bn2: params.batchNorm(`${name}/bn2`, filters),
        shortcut: stride !== 1 || cin !== filters ? params.convKernel(`${name}/shortcut`, 1, cin, filters) : undefined,
      })
      cin = filters
    }
  })

  return {
    features: 64,
    apply(x, training) {
      let h = batchNorm(tf.conv2d(x, stem.conv as tf.Tensor4D, 1, 'same'), stem.bn, { training, relu: true })
      for (const b of blocks) {
        const y = batchNorm(tf.conv2d(h, b.conv1 as tf.Tensor4D, b.stride, 'same'), b.bn1, { training, relu: true })
        const residual = b.shortcut ? tf.conv2d(h, b.shortcut as tf.Tensor4D, b.stride, 'same') : h
        h = batchNorm(tf.conv2d(y, b.conv2 as tf.Tensor4D, 1, 'same'), b.bn2, { training, relu: true, residual })
      }
      return tf.mean(h, [1, 2]) as tf.Tensor2D
    },
  }
}
