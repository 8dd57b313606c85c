import * as tf from '@tensorflow/tfjs'

/*
 * Kernels the wasm backend lacks but gradients of ordinary training code call: UnsortedSegmentSum
 * (the gradient of tf.gather, used by the losses that pick a head's columns or a dataset's rows) and
 * the depthwise-conv gradients (a network run with frozen batch norm). They run the cpu backend's
 * implementation on a copy of the inputs. That costs two copies, fine for the loss-sized tensors
 * these see; the hot conv gradients have real wasm implementations (wasm-training-kernels.ts).
 */

export const BORROWED_FROM_CPU = [
  'UnsortedSegmentSum',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const

interface WasmSide {
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: tf.backend_util.BackendValues,
  ): tf.TensorInfo
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues
}

interface CpuSide {
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues
  disposeData(dataId: tf.DataId, force?: boolean): boolean
}

function borrow(kernelName: string): tf.KernelConfig | null {
  const cpuKernel = tf.getKernel(kernelName, 'cpu')
  if (!cpuKernel) return null
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as unknown as WasmSide
      const cpu = tf.findBackend('cpu') as unknown as CpuSide
      const cpuInputs: Record<string, tf.TensorInfo> = {}
      const made: tf.DataId[] = []
      for (const [name, t] of Object.entries(inputs as Record<string, tf.TensorInfo | undefined>)) {
        if (!t) continue
        const dataId = cpu.write(wasm.readSync(t.dataId), t.shape, t.dtype)
        made.push(dataId)
        cpuInputs[name] = { dataId, shape: t.shape, dtype: t.dtype }
      }
      try {
        const out = cpuKernel.kernelFunc({ inputs: cpuInputs, attrs, backend: cpu as unknown as tf.KernelBackend })
        const outs = Array.isArray(out) ? out : [out]
        const results = outs.map((o) => {
          const values = cpu.readSync(o.dataId)
          cpu.disposeData(o.dataId, true)
          return wasm.makeOutput(o.shape, o.dtype, undefined, values)
        })
        return Array.isArray(out) ? results : results[0]
      } finally {
        for (const id of made) cpu.disposeData(id, true)
      }
    },
  }
}

/** Registers the borrowed kernels for 'wasm' (those wasm does not already have). */
export function registerBorrowedKernels(): void {
  for (const name of BORROWED_FROM_CPU) {
    if (tf.getKernel(name, 'wasm')) continue
    const config = borrow(name)
    if (config) tf.registerKernel(config)
  }
}
