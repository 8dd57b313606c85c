import * as tf from '@tensorflow/tfjs'

/*
 * Batch norm as two kernels a backend may provide (wasm does: backend/kernels/batch-norm.ts), so that
 * a training step's batch norm is one call forward and one backward instead of about 25 tfjs ops.
 * batch-norm.ts uses them when the active backend has them and tfjs ops otherwise.
 */

/** Inputs x, gamma, beta, movingMean, movingVariance (and residual); outputs y, mean, invStd, and the new moving mean and variance. */
export const BATCH_NORM_TRAINING = 'AffectBatchNormTraining'
/** Inputs dy, x, y, gamma, mean, invStd; outputs dx, dGamma, dBeta (and dResidual). */
export const BATCH_NORM_GRADIENT = 'AffectBatchNormGradient'

export interface BatchNormTrainingAttrs {
  epsilon: number
  /** Weight of the old value in the moving averages. */
  decay: number
  relu: boolean
}

export interface BatchNormGradientAttrs {
  relu: boolean
  /** Whether the forward pass added a residual (then its gradient is a fourth output). */
  residual: boolean
}

/** Whether the active backend has both batch-norm kernels. */
export function backendHasBatchNormKernels(): boolean {
  const backend = tf.getBackend()
  return (
    tf.getKernel(BATCH_NORM_TRAINING, backend) !== undefined && tf.getKernel(BATCH_NORM_GRADIENT, backend) !== undefined
  )
}
