import * as tf from '@tensorflow/tfjs'

// RGB bytes into the int32 tensors the face networks take, through one conversion buffer kept for
// the process. tf.tensor(bytes, shape, 'int32') allocates a new Int32Array four times the size of
// the bytes on every call (2.4 MB for a detection copy); such short-lived buffers outside V8's heap
// made V8 run a full mark-compact of its heap for nearly every photo (37 in 24 photos; with the
// buffer kept, 26, and the CPU spent collecting after each detection fell by half).
// The wasm and native backends copy the values into their own memory when the tensor is made; the
// plain JavaScript backend keeps the array itself, so there each tensor gets its own.

let scratch = new Int32Array(0)

/** An int32 tensor holding `bytes` (0-255) in `shape`; dispose it before the next call. */
export function bytesTensor<R extends tf.Rank>(bytes: Uint8Array, shape: tf.ShapeMap[R]): tf.Tensor<R> {
  if (tf.getBackend() === 'cpu') return tf.tensor(bytes, shape, 'int32') as tf.Tensor<R>
  if (scratch.length < bytes.length) scratch = new Int32Array(bytes.length)
  const values = scratch.subarray(0, bytes.length)
  values.set(bytes)
  return tf.tensor(values, shape, 'int32') as tf.Tensor<R>
}
