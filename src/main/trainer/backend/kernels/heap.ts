import * as tf from '@tensorflow/tfjs'

/**
 * What our kernels need from the wasm backend object: its allocator, where a tensor's bytes are in
 * its memory, and the memory itself. Kept structural so we do not depend on the backend's private
 * class (tfjs-backend-wasm 4.22's BackendWasm has all of these).
 */
export interface HeapBackend {
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: tf.backend_util.BackendValues,
  ): tf.TensorInfo
  getMemoryOffset(dataId: tf.DataId): number
  disposeData(dataId: tf.DataId, force?: boolean): boolean
  wasm: { asm?: { memory?: unknown } }
}

/** The Emscripten module's memory, where every tensor of this backend lives. */
export function heapMemory(backend: HeapBackend): WebAssembly.Memory {
  const memory = backend.wasm.asm?.memory
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error(
      'the tfjs wasm backend does not expose its memory (wasm.asm.memory): the conv kernels need tfjs-backend-wasm 4.22 without threads',
    )
  }
  return memory
}

/**
 * Tensors a kernel allocates on the heap (its output and scratch buffers), freed in one place so
 * a kernel that throws leaves nothing behind.
 */
export class KernelHeap {
  private readonly made: tf.TensorInfo[] = []

  constructor(readonly backend: HeapBackend) {}

  /** An uninitialised float32 tensor; the kernel writes every value. */
  allocate(shape: number[]): tf.TensorInfo {
    const info = this.backend.makeOutput(shape, 'float32')
    this.made.push(info)
    return info
  }

  /** Byte address of a float32 tensor in the heap: a `float*` for the C kernels. */
  pointer(info: tf.TensorInfo): number {
    if (info.dtype !== 'float32') throw new Error(`conv kernels take float32 tensors (got ${info.dtype})`)
    return this.backend.getMemoryOffset(info.dataId)
  }

  /** Frees every allocation except `keep` (the kernel's results). */
  finish(...keep: tf.TensorInfo[]): void {
    for (const info of this.made) if (!keep.includes(info)) this.backend.disposeData(info.dataId)
    this.made.length = 0
  }
}
