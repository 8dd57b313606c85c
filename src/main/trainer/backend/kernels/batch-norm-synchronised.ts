import * as tf from '@tensorflow/tfjs'
import type {
  BatchNormGradientAttrs,
  BatchStatisticsExchange,
  BatchNormTrainingAttrs,
} from '../../network/batch-norm-kernels'
import { BatchNormGradientInputs, BatchNormTrainingInputs, gradientShape, trainingShape, withHeap } from './batch-norm'
import { HeapBackend, heapMemory } from './heap'

/*
 * Synchronised batch norm for data-parallel workers: the same maths as batch-norm.ts's one-call
 * kernels, over the whole batch although this worker holds only its shard. Between the kernels'
 * passes (batch-norm-forward.c, batch-norm-gradient.c) the per-channel sums are added up over the
 * workers (exchange.allReduce, which blocks until every worker has sent its own):
 *
 * - forward: sums of x (and the row count) give the batch's mean, then sums of (x - mean)^2 its
 *   variance; every worker then normalises, and updates the moving statistics, with those (the
 *   moving variance unbiased over the whole batch's rows);
 * - gradient: this worker's loss counts with weight `share` in the step's loss (the coordinator
 *   weights its gradients so), so the whole loss's sums of g and g*(x - mean) are the workers' sums
 *   weighted by their shares, and this worker's dx is the whole loss's gradient divided by its
 *   share. dGamma and dBeta stay this shard's own sums: the coordinator weights and adds them.
 */

/** A float32 [c] view of a tensor in the heap (made after every allocation: growing the memory detaches views). */
const view = (backend: HeapBackend, pointer: number, c: number): Float32Array =>
  new Float32Array(heapMemory(backend).buffer, pointer, c)

/** [y, mean, invStd, newMovingMean, newMovingVariance], with the whole batch's statistics. */
export function synchronisedBatchNormTraining(
  backend: HeapBackend,
  inputs: BatchNormTrainingInputs,
  attrs: BatchNormTrainingAttrs,
  exchange: BatchStatisticsExchange,
): tf.TensorInfo[] {
  const [m, c] = trainingShape('BatchNormTraining', inputs)
  const { x, residual } = inputs
  return withHeap(backend, (heap, kernels) => {
    const outs = [heap.allocate(x.shape), ...[0, 1, 2, 3].map(() => heap.allocate([c]))]
    const [y, mean, invStd, newMean, newVariance] = outs.map((t) => heap.pointer(t))
    const xp = heap.pointer(x)
    kernels.batch_norm_sums(xp, mean, m, c)
    const sums = new Float64Array(c + 1)
    sums.set(view(backend, mean, c))
    sums[c] = m
    exchange.allReduce(sums)
    const rows = sums[c]
    view(backend, mean, c).set(sums.subarray(0, c).map((s) => s / rows))
    kernels.batch_norm_deviations(xp, mean, invStd, m, c)
    const deviations = Float64Array.from(view(backend, invStd, c))
    exchange.allReduce(deviations)
    const [meanOf, invStdOf] = [view(backend, mean, c), view(backend, invStd, c)]
    const [movingMean, movingVariance] = [inputs.movingMean, inputs.movingVariance].map((t) =>
      view(backend, heap.pointer(t), c),
    )
    const [newMeanOf, newVarianceOf] = [view(backend, newMean, c), view(backend, newVariance, c)]
    for (let k = 0; k < c; k++) {
      const variance = deviations[k] / rows
      const unbiased = rows > 1 ? deviations[k] / (rows - 1) : variance
      invStdOf[k] = 1 / Math.sqrt(variance + attrs.epsilon)
      newMeanOf[k] = movingMean[k] * attrs.decay + meanOf[k] * (1 - attrs.decay)
      newVarianceOf[k] = movingVariance[k] * attrs.decay + unbiased * (1 - attrs.decay)
    }
    const ys = [xp, residual ? heap.pointer(residual) : 0, y] as const
    kernels.batch_norm_normalise(
      ...ys,
      heap.pointer(inputs.gamma),
      heap.pointer(inputs.beta),
      mean,
      invStd,
      m,
      c,
      attrs.relu ? 1 : 0,
    )
    return outs
  })
}

/** [dx, dGamma, dBeta] and, with a residual, its gradient: dx of the whole batch's loss, over this worker's share. */
export function synchronisedBatchNormGradient(
  backend: HeapBackend,
  inputs: BatchNormGradientInputs,
  attrs: BatchNormGradientAttrs,
  exchange: BatchStatisticsExchange,
): tf.TensorInfo[] {
  const [m, c] = gradientShape('BatchNormGradient', inputs)
  const { x } = inputs
  return withHeap(backend, (heap, kernels) => {
    const outs = [heap.allocate(x.shape), heap.allocate([c]), heap.allocate([c])]
    if (attrs.residual) outs.push(heap.allocate(x.shape))
    const [totalG, totalGX] = [heap.allocate([c]), heap.allocate([c])].map((t) => heap.pointer(t))
    const [dx, dGamma, dBeta] = outs.map((t) => heap.pointer(t))
    const [dy, xp, y, mean, invStd] = [inputs.dy, x, inputs.y, inputs.mean, inputs.invStd].map((t) => heap.pointer(t))
    const relu = attrs.relu ? 1 : 0
    kernels.batch_norm_grad_sums(dy, xp, y, mean, dBeta, dGamma, attrs.residual ? heap.pointer(outs[3]) : 0, m, c, relu)
    const [sumG, sumGX, invStdOf] = [dBeta, dGamma, invStd].map((p) => view(backend, p, c))
    const sums = new Float64Array(2 * c + 1)
    for (let k = 0; k < c; k++) {
      sums[k] = exchange.share * sumG[k]
      sums[c + k] = exchange.share * sumGX[k]
      sumGX[k] *= invStdOf[k]
    }
    sums[2 * c] = m
    exchange.allReduce(sums)
    view(backend, totalG, c).set(sums.subarray(0, c))
    view(backend, totalGX, c).set(sums.subarray(c, 2 * c))
    const invM = 1 / (exchange.share * sums[2 * c])
    kernels.batch_norm_dx(dy, xp, y, heap.pointer(inputs.gamma), mean, invStd, totalG, totalGX, dx, m, c, relu, invM)
    return outs
  })
}
