import * as tf from '@tensorflow/tfjs'
import { registerBorrowedKernels } from './borrowed-kernels'
import {
  BATCH_NORM_GRADIENT,
  BATCH_NORM_TRAINING,
  BatchNormGradientAttrs,
  BatchNormTrainingAttrs,
  batchStatisticsExchange,
} from '../network/batch-norm-kernels'
import {
  BatchNormGradientInputs,
  batchNormGradient,
  batchNormTraining,
  BatchNormTrainingInputs,
} from './kernels/batch-norm'
import { synchronisedBatchNormGradient, synchronisedBatchNormTraining } from './kernels/batch-norm-synchronised'
import { ConvAttrs, conv2dFilterGradient, conv2dForward, conv2dInputGradient } from './kernels/conv2d'
import { HeapBackend } from './kernels/heap'
import { momentumStep, MomentumStepInputs } from './kernels/momentum'
import { MOMENTUM_STEP, MomentumStepAttrs } from '../optimiser/momentum-kernel'

/*
 * The wasm backend ships without Conv2DBackpropFilter, its Conv2DBackpropInput is a plain C loop
 * about ten times slower than a forward conv, and its XNNPACK forward conv is slower than a plain
 * register-tiled loop for the small channel counts of our networks. All three are replaced by our
 * own SIMD kernels (kernels/conv.c), which work on the tensors in the backend's own memory; so is
 * batch norm's training pass and gradient (kernels/batch-norm-forward.c and -gradient.c), one call each
 * instead of ~25 ops,
 * and the momentum-SGD update of a variable (kernels/momentum.c), one call instead of four.
 */

type KernelArgs = Parameters<tf.KernelFunc>[0]

function convKernel(
  kernelName: string,
  run: (backend: HeapBackend, args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[],
): tf.KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: (args) => run(args.backend as unknown as HeapBackend, args) }
}

const OUR_KERNELS: tf.KernelConfig[] = [
  convKernel(tf.Conv2D, (backend, { inputs, attrs }) => {
    const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo }
    return conv2dForward(backend, x, filter, attrs as unknown as ConvAttrs)
  }),
  convKernel(tf.Conv2DBackpropFilter, (backend, { inputs, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo }
    const a = attrs as unknown as ConvAttrs & { filterShape: number[] }
    return conv2dFilterGradient(backend, x, dy, a.filterShape, a)
  }),
  convKernel(tf.Conv2DBackpropInput, (backend, { inputs, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo }
    const a = attrs as unknown as ConvAttrs & { inputShape: number[] }
    return conv2dInputGradient(backend, dy, filter, a.inputShape, a)
  }),
  // Inside a data-parallel worker of several, with the whole batch's statistics (synchronised batch norm).
  convKernel(BATCH_NORM_TRAINING, (backend, { inputs, attrs }) => {
    const [i, a, exchange] = [
      inputs as unknown as BatchNormTrainingInputs,
      attrs as unknown as BatchNormTrainingAttrs,
      batchStatisticsExchange(),
    ]
    return exchange ? synchronisedBatchNormTraining(backend, i, a, exchange) : batchNormTraining(backend, i, a)
  }),
  convKernel(BATCH_NORM_GRADIENT, (backend, { inputs, attrs }) => {
    const [i, a, exchange] = [
      inputs as unknown as BatchNormGradientInputs,
      attrs as unknown as BatchNormGradientAttrs,
      batchStatisticsExchange(),
    ]
    return exchange ? synchronisedBatchNormGradient(backend, i, a, exchange) : batchNormGradient(backend, i, a)
  }),
  convKernel(MOMENTUM_STEP, (backend, { inputs, attrs }) =>
    momentumStep(backend, inputs as unknown as MomentumStepInputs, attrs as unknown as MomentumStepAttrs),
  ),
]

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName)
  tf.registerKernel(config)
}

let registered = false

/**
 * Registers (or replaces) the wasm conv kernels, a copy-free Identity, and the few kernels other
 * gradients need that wasm lacks (borrowed-kernels.ts). Safe to call more than once and before or
 * after the wasm backend is initialised.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return
  OUR_KERNELS.forEach(replaceKernel)
  // The stock wasm Identity copies the whole buffer. tf.clone (used for every tensor a gradient
  // saves) then costs a full pass per saved activation. Tensors are immutable, so sharing the buffer
  // with a reference count is safe; it is what the cpu backend and wasm's own Reshape do.
  replaceKernel({
    kernelName: tf.Identity,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo }
      ;(backend as unknown as { incRef(id: tf.DataId): void }).incRef(x.dataId)
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
    },
  })
  registerBorrowedKernels()
  registered = true
}
