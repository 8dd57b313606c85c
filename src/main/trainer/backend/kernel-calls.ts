import * as tf from '@tensorflow/tfjs'

/**
 * What our kernels need from the wasm backend object: its heap views and its allocator. Kept
 * structural so we do not depend on the backend's private class.
 */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array
  disposeData(dataId: tf.DataId, force?: boolean): boolean
}

/**
 * Runs other kernels of the same backend directly (not through the engine), so a composite kernel
 * shows up once in profiles and none of its intermediates reach the gradient tape.
 */
export class KernelCalls {
  private readonly live: tf.TensorInfo[] = []

  constructor(
    readonly backend: HeapBackend,
    private readonly backendName: string,
  ) {}

  run(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown> = {}): tf.TensorInfo {
    const config = tf.getKernel(kernelName, this.backendName)
    if (!config) throw new Error(`kernel '${kernelName}' is not registered for backend '${this.backendName}'`)
    const out = config.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap,
      attrs: attrs as tf.NamedAttrMap,
      backend: this.backend as unknown as tf.KernelBackend,
    })
    const info = Array.isArray(out) ? out[0] : out
    this.live.push(info)
    return info
  }

  /** A float32 tensor on this backend holding `values` (copied). */
  fromValues(shape: number[], values: Float32Array): tf.TensorInfo {
    const info = this.backend.makeOutput(shape, 'float32', undefined, values)
    this.live.push(info)
    return info
  }

  read(info: tf.TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(info)
  }

  /** Frees every intermediate except `keep` (the kernel's result). */
  finish(keep: tf.TensorInfo): tf.TensorInfo {
    for (const info of this.live) if (info !== keep) this.backend.disposeData(info.dataId)
    this.live.length = 0
    return keep
  }
}
