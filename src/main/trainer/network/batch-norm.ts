import * as tf from '@tensorflow/tfjs'
import {
  backendHasBatchNormKernels,
  BATCH_NORM_GRADIENT,
  BATCH_NORM_TRAINING,
  BatchNormGradientAttrs,
  BatchNormTrainingAttrs,
} from './batch-norm-kernels'

/*
 * Batch norm (+ optional residual add and ReLU) as one op with a hand-written gradient.
 *
 * tfjs's own batchNorm gradient broadcasts per-channel vectors with Tile, which dominated a training
 * step on wasm. Here every per-channel mean is a global average pool (one SIMD pass on wasm; a sum
 * over axes [0,1,2] transposes first, and a ones-row matMul repacks the whole tensor each call) and
 * every per-channel affine map x*a + b is a 1x1 depthwise conv with a bias (one fused pass, ReLU
 * folded in). Nothing is tiled. A backend with batch-norm kernels of its own (wasm: one call forward,
 * one backward; batch-norm-kernels.ts) runs those instead.
 */

export interface BatchNormVariables {
  gamma: tf.Variable
  beta: tf.Variable
  movingMean: tf.Variable
  movingVariance: tf.Variable
}

export interface BatchNormOptions {
  /** Batch statistics and moving-average update (true) or moving statistics (false). */
  training: boolean
  relu: boolean
  /** Added after normalisation and before the ReLU (the residual connection). */
  residual?: tf.Tensor4D
  /** Weight of the old value in the moving averages. */
  decay?: number
  epsilon?: number
}

export const BN_DEFAULT_DECAY = 0.9
export const BN_DEFAULT_EPSILON = 1e-5

/** Per-channel mean over N, H and W of a [N, H, W, C] tensor, as [C]. */
function channelMeans(x: tf.Tensor4D): tf.Tensor1D {
  const [n, h, w, c] = x.shape
  const perImage = tf.reshape(tf.avgPool(x, [h, w], 1, 'valid'), [n, c])
  return n === 1 ? tf.reshape(perImage, [c]) : tf.mean(perImage, 0)
}

/**
 * x * scale + shift per channel (and ReLU), as a fused 1x1 depthwise conv. `shift` must be computed
 * as a rank-1 tensor, not reshaped into one: the wasm kernel checks the rank its buffer was made with.
 *
 * `differentiable` goes through tf.fused.depthwiseConv2d, which has a gradient but splits off the ReLU
 * whenever a gradient is being recorded. Inside our own custom gradient nothing is recorded, so there
 * the fused kernel is called directly and the ReLU stays fused.
 */
function affine(
  x: tf.Tensor4D,
  scale: tf.Tensor,
  shift: tf.Tensor | undefined,
  relu: boolean,
  differentiable = false,
): tf.Tensor4D {
  const c = x.shape[3]
  const filter = tf.reshape(scale, [1, 1, c, 1]) as tf.Tensor4D
  const activation = relu ? 'relu' : 'linear'
  if (differentiable) return tf.fused.depthwiseConv2d({ x, filter, strides: 1, pad: 'valid', bias: shift, activation })
  const inputs: tf.NamedTensorMap = { x, filter }
  if (shift) inputs.bias = shift
  const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], activation }
  return tf.engine().runKernel(tf.FusedDepthwiseConv2D, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D
}

export function batchNorm(x: tf.Tensor4D, v: BatchNormVariables, opts: BatchNormOptions): tf.Tensor4D {
  const epsilon = opts.epsilon ?? BN_DEFAULT_EPSILON
  if (!opts.training) {
    return tf.tidy(() => {
      const scale = tf.mul(v.gamma, tf.rsqrt(tf.add(v.movingVariance, epsilon)))
      const shift = tf.sub(v.beta, tf.mul(v.movingMean, scale))
      return finish(affine(x, scale, shift, opts.relu && !opts.residual, true), opts)
    })
  }
  if (backendHasBatchNormKernels()) return kernelBatchNorm(x, v, opts, epsilon)
  return trainingBatchNorm(x, v, opts, epsilon)
}

/** Training-mode batch norm with the backend's own two kernels (same maths as trainingBatchNorm). */
function kernelBatchNorm(x: tf.Tensor4D, v: BatchNormVariables, opts: BatchNormOptions, epsilon: number): tf.Tensor4D {
  const hasResidual = opts.residual !== undefined
  const forwardAttrs: BatchNormTrainingAttrs = { epsilon, decay: opts.decay ?? BN_DEFAULT_DECAY, relu: opts.relu }
  const gradientAttrs: BatchNormGradientAttrs = { relu: opts.relu, residual: hasResidual }
  const op = tf.customGrad((...args: unknown[]) => {
    const [xIn, gamma, beta] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D]
    const save = args[args.length - 1] as tf.GradSaveFunc
    const inputs: tf.NamedTensorMap = {
      x: xIn,
      gamma,
      beta,
      movingMean: v.movingMean,
      movingVariance: v.movingVariance,
    }
    if (hasResidual) inputs.residual = args[3] as tf.Tensor4D
    const [y, mean, invStd, movingMean, movingVariance] = tf
      .engine()
      .runKernel(BATCH_NORM_TRAINING, inputs, forwardAttrs as unknown as tf.NamedAttrMap) as tf.Tensor[]
    v.movingMean.assign(movingMean)
    v.movingVariance.assign(movingVariance)
    save([xIn, y, mean, invStd, gamma])
    return {
      value: y as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy, sMean, sInvStd, sGamma] = saved
        const grads = { dy, x: sx, y: sy, gamma: sGamma, mean: sMean, invStd: sInvStd }
        return tf
          .engine()
          .runKernel(BATCH_NORM_GRADIENT, grads, gradientAttrs as unknown as tf.NamedAttrMap) as tf.Tensor[]
      },
    }
  })
  const inputs: tf.Tensor[] = [x, v.gamma, v.beta]
  if (opts.residual) inputs.push(opts.residual)
  return (op as (...t: tf.Tensor[]) => tf.Tensor4D)(...inputs)
}

function finish(t: tf.Tensor4D, opts: BatchNormOptions): tf.Tensor4D {
  if (!opts.residual) return t
  const sum = tf.add(t, opts.residual) as tf.Tensor4D
  return opts.relu ? tf.relu(sum) : sum
}

function trainingBatchNorm(
  x: tf.Tensor4D,
  v: BatchNormVariables,
  opts: BatchNormOptions,
  epsilon: number,
): tf.Tensor4D {
  const [n, h, w] = x.shape
  const m = n * h * w
  const decay = opts.decay ?? BN_DEFAULT_DECAY
  const relu = opts.relu
  const hasResidual = opts.residual !== undefined

  const op = tf.customGrad((...args: unknown[]) => {
    const [xIn, gamma, beta] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D]
    const residual = hasResidual ? (args[3] as tf.Tensor4D) : undefined
    const save = args[args.length - 1] as tf.GradSaveFunc
    const mean = channelMeans(xIn)
    const variance = channelMeans(tf.squaredDifference(xIn, mean) as tf.Tensor4D)
    const invStd = tf.rsqrt(tf.add(variance, epsilon))
    const scale = tf.mul(gamma, invStd)
    const shift = tf.sub(beta, tf.mul(mean, scale))
    const y = finish(affine(xIn, scale, shift, relu && !hasResidual), { training: true, relu, residual })
    // Moving averages use the unbiased batch variance, like PyTorch and Keras.
    v.movingMean.assign(tf.add(tf.mul(v.movingMean, decay), tf.mul(mean, 1 - decay)))
    const unbiased = tf.mul(variance, m > 1 ? m / (m - 1) : 1)
    v.movingVariance.assign(tf.add(tf.mul(v.movingVariance, decay), tf.mul(unbiased, 1 - decay)))
    save([xIn, y, mean, invStd, gamma])
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy, sMean, sInvStd, sGamma] = saved as [
          tf.Tensor4D,
          tf.Tensor4D,
          tf.Tensor1D,
          tf.Tensor1D,
          tf.Tensor1D,
        ]
        const g = (relu ? tf.mul(dy, tf.step(sy)) : dy) as tf.Tensor4D
        // Means over the M = N*H*W positions: mean(g) and mean(g*x).
        const meanG = channelMeans(g)
        const meanGX = channelMeans(tf.mul(g, sx) as tf.Tensor4D)
        const dBeta = tf.mul(meanG, m)
        const dGamma = tf.mul(tf.mul(sInvStd, tf.sub(meanGX, tf.mul(sMean, meanG))), m)
        // dx = A*g + B*x + C, with A = gamma/sigma, B = -A*dGamma/(sigma*M), C = -A*mean(g) - B*mean
        const a = tf.mul(sGamma, sInvStd)
        const b = tf.mul(tf.mul(a, tf.mul(sInvStd, dGamma)), -1 / m)
        const cc = tf.sub(tf.mul(tf.neg(a), meanG), tf.mul(b, sMean))
        const dx = tf.add(affine(g, a, undefined, false), affine(sx, b, cc, false))
        const grads = [dx, dGamma, dBeta]
        if (hasResidual) grads.push(g)
        return grads
      },
    }
  })
  const inputs: tf.Tensor[] = [x, v.gamma, v.beta]
  if (opts.residual) inputs.push(opts.residual)
  return (op as (...t: tf.Tensor[]) => tf.Tensor4D)(...inputs)
}
