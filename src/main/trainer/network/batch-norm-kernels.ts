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

/**
 * How a data-parallel worker shares batch statistics with the others (synchronised batch norm):
 * while one is in use, the backend's training kernels normalise with the mean and variance of the
 * whole batch (every worker's sums added up) and give the gradient of the whole batch's loss.
 */
export interface BatchStatisticsExchange {
  /** This worker's share of the step's loss: the weight its gradients get (its images over the batch's). */
  readonly share: number
  /** Replaces `values` by their sum over every worker; blocks until each has called it (same length, same order of calls). */
  allReduce(values: Float64Array): void
}

// A module-level setting rather than a kernel attribute: attributes carry data, while the kernel has
// to block mid-call on the other workers. A worker runs one step at a time, so one is enough.
let activeExchange: BatchStatisticsExchange | null = null

/** The exchange the training kernels use now, or null (one process: each batch's own statistics). */
export function batchStatisticsExchange(): BatchStatisticsExchange | null {
  return activeExchange
}

/** Runs `body` (a training pass) with `exchange` in use, or without any when it is null. */
export async function withBatchStatisticsExchange<T>(
  exchange: BatchStatisticsExchange | null,
  body: () => Promise<T>,
): Promise<T> {
  if (exchange && !backendHasBatchNormKernels())
    throw new Error(`synchronised batch norm needs the wasm batch-norm kernels (backend ${tf.getBackend()})`)
  activeExchange = exchange
  try {
    return await body()
  } finally {
    activeExchange = null
  }
}
