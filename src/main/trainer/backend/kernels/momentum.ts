import * as tf from '@tensorflow/tfjs'
import type { MomentumStepAttrs } from '../../optimiser/momentum-kernel'
import { HeapBackend, heapMemory, KernelHeap } from './heap'
import { convKernelsIn } from './module'

/* The momentum-SGD update of one variable on the wasm backend: one call of momentum.c. */

export interface MomentumStepInputs {
  w: tf.TensorInfo
  v: tf.TensorInfo
  g: tf.TensorInfo
}

/** [w', v']: v' = momentum * v + g, w' = w - learningRate * v'. */
export function momentumStep(
  backend: HeapBackend,
  inputs: MomentumStepInputs,
  attrs: MomentumStepAttrs,
): tf.TensorInfo[] {
  const { w, v, g } = inputs
  for (const [name, t] of [
    ['momentum', v],
    ['gradient', g],
  ] as const)
    if (!tf.util.arraysEqual(t.shape, w.shape))
      throw new Error(`MomentumStep: the ${name} has shape [${t.shape}], the variable [${w.shape}]`)
  const heap = new KernelHeap(backend)
  try {
    const outs = [heap.allocate(w.shape), heap.allocate(w.shape)]
    convKernelsIn(heapMemory(backend)).momentum_step(
      heap.pointer(w),
      heap.pointer(v),
      heap.pointer(g),
      heap.pointer(outs[0]),
      heap.pointer(outs[1]),
      tf.util.sizeFromShape(w.shape),
      attrs.learningRate,
      attrs.momentum,
    )
    heap.finish(...outs)
    return outs
  } catch (e) {
    heap.finish()
    throw e
  }
}
