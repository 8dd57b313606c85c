import * as tf from '@tensorflow/tfjs'
import type { BatchNormGradientAttrs, BatchNormTrainingAttrs } from '../../network/batch-norm-kernels'
import { HeapBackend, heapMemory, KernelHeap } from './heap'
import { ConvKernelExports, convKernelsIn } from './module'

/*
 * Batch norm's training forward pass and gradient on the wasm backend, each one call of our SIMD
 * kernels (batch-norm-forward.c, batch-norm-gradient.c) on the tensors in tfjs's heap. Layout NHWC: every pixel of every image is a
 * row of `channels` values.
 */

export interface BatchNormTrainingInputs {
  x: tf.TensorInfo
  gamma: tf.TensorInfo
  beta: tf.TensorInfo
  movingMean: tf.TensorInfo
  movingVariance: tf.TensorInfo
  residual?: tf.TensorInfo
}

export interface BatchNormGradientInputs {
  dy: tf.TensorInfo
  x: tf.TensorInfo
  y: tf.TensorInfo
  gamma: tf.TensorInfo
  mean: tf.TensorInfo
  invStd: tf.TensorInfo
}

function same(kernel: string, what: string, got: number[], want: number[]): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i]))
    throw new Error(`${kernel}: ${what} has shape [${got}], expected [${want}]`)
}

/** Rows (pixels) and channels of an activation; every other input is checked against them. */
function rowsAndChannels(kernel: string, x: tf.TensorInfo): [number, number] {
  if (x.shape.length < 2) throw new Error(`${kernel}: x must have a channel axis (got shape [${x.shape}])`)
  const c = x.shape[x.shape.length - 1]
  return [tf.util.sizeFromShape(x.shape) / c, c]
}

/** Runs `body` with a fresh heap; on a throw everything it allocated is freed. */
export function withHeap(
  backend: HeapBackend,
  body: (heap: KernelHeap, kernels: ConvKernelExports) => tf.TensorInfo[],
): tf.TensorInfo[] {
  const heap = new KernelHeap(backend)
  try {
    const outs = body(heap, convKernelsIn(heapMemory(backend)))
    heap.finish(...outs)
    return outs
  } catch (e) {
    heap.finish()
    throw e
  }
}

/** Rows and channels of the forward pass's x, after checking every input's shape against them. */
export function trainingShape(kernel: string, inputs: BatchNormTrainingInputs): [number, number] {
  const { x, residual } = inputs
  const [m, c] = rowsAndChannels(kernel, x)
  for (const name of ['gamma', 'beta', 'movingMean', 'movingVariance'] as const)
    same(kernel, name, inputs[name].shape, [c])
  if (residual) same(kernel, 'residual', residual.shape, x.shape)
  return [m, c]
}

/** Rows and channels of the gradient's x, after checking every input's shape against them. */
export function gradientShape(kernel: string, inputs: BatchNormGradientInputs): [number, number] {
  const [m, c] = rowsAndChannels(kernel, inputs.x)
  for (const name of ['dy', 'y'] as const) same(kernel, name, inputs[name].shape, inputs.x.shape)
  for (const name of ['gamma', 'mean', 'invStd'] as const) same(kernel, name, inputs[name].shape, [c])
  return [m, c]
}

/** [y, mean, invStd, newMovingMean, newMovingVariance]. */
export function batchNormTraining(
  backend: HeapBackend,
  inputs: BatchNormTrainingInputs,
  attrs: BatchNormTrainingAttrs,
): tf.TensorInfo[] {
  const { x, residual } = inputs
  const [m, c] = trainingShape('BatchNormTraining', inputs)
  return withHeap(backend, (heap, kernels) => {
    const outs = [heap.allocate(x.shape), ...[0, 1, 2, 3].map(() => heap.allocate([c]))]
    const [y, mean, invStd, newMean, newVariance] = outs.map((t) => heap.pointer(t))
    kernels.batch_norm_forward(
      heap.pointer(x),
      residual ? heap.pointer(residual) : 0,
      y,
      heap.pointer(inputs.gamma),
      heap.pointer(inputs.beta),
      heap.pointer(inputs.movingMean),
      heap.pointer(inputs.movingVariance),
      mean,
      invStd,
      newMean,
      newVariance,
      m,
      c,
      attrs.epsilon,
      attrs.decay,
      attrs.relu ? 1 : 0,
    )
    return outs
  })
}

/** [dx, dGamma, dBeta] and, with a residual, its gradient. */
export function batchNormGradient(
  backend: HeapBackend,
  inputs: BatchNormGradientInputs,
  attrs: BatchNormGradientAttrs,
): tf.TensorInfo[] {
  const { x } = inputs
  const [m, c] = gradientShape('BatchNormGradient', inputs)
  return withHeap(backend, (heap, kernels) => {
    const outs = [heap.allocate(x.shape), heap.allocate([c]), heap.allocate([c])]
    if (attrs.residual) outs.push(heap.allocate(x.shape))
    kernels.batch_norm_gradient(
      heap.pointer(inputs.dy),
      heap.pointer(x),
      heap.pointer(inputs.y),
      heap.pointer(inputs.gamma),
      heap.pointer(inputs.mean),
      heap.pointer(inputs.invStd),
      heap.pointer(outs[0]),
      heap.pointer(outs[1]),
      heap.pointer(outs[2]),
      attrs.residual ? heap.pointer(outs[3]) : 0,
      m,
      c,
      attrs.relu ? 1 : 0,
    )
    return outs
  })
}
