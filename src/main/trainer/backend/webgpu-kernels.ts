import * as tf from '@tensorflow/tfjs'

/*
 * tfjs's WebGPU AddN binds every input as a storage buffer in one shader. WebGPU allows only
 * maxStorageBuffersPerShaderStage of them (8 by default, 8-12 on many GPUs): with more inputs the
 * pipeline is invalid and the sum comes out as garbage without an exception. The weight-decay term
 * of a training step sums one square per kernel (a dozen or more), so AddN is replaced by one that
 * sums in groups small enough to bind, then sums the groups' results.
 */

interface WebgpuBackendLimits {
  device: { limits: { maxStorageBuffersPerShaderStage: number } }
  disposeData(dataId: object): void
}

let registered = false

/** Sums `inputs` with `addN`, at most `perShader` at a time; partial sums are freed with `dispose`. */
export function groupedSum(
  inputs: tf.TensorInfo[],
  perShader: number,
  addN: (group: tf.TensorInfo[]) => tf.TensorInfo,
  dispose: (t: tf.TensorInfo) => void,
): tf.TensorInfo {
  if (perShader < 2) throw new Error(`cannot sum with ${perShader} input per shader`)
  const partials: tf.TensorInfo[] = []
  let level = inputs
  while (level.length > perShader) {
    const next: tf.TensorInfo[] = []
    for (let i = 0; i < level.length; i += perShader) {
      const group = level.slice(i, i + perShader)
      if (group.length === 1) next.push(group[0])
      else {
        const sum = addN(group)
        partials.push(sum)
        next.push(sum)
      }
    }
    level = next
  }
  const out = addN(level)
  for (const t of partials) dispose(t)
  return out
}

/** Replaces the webgpu backend's AddN once per process (after tfjs-backend-webgpu has registered its kernels). */
export function registerWebgpuTrainingKernels(): void {
  if (registered) return
  const original = tf.getKernel(tf.AddN, 'webgpu')
  if (!original) throw new Error("tfjs-backend-webgpu did not register AddN for 'webgpu'")
  tf.unregisterKernel(tf.AddN, 'webgpu')
  tf.registerKernel({
    kernelName: tf.AddN,
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const backend = args.backend as unknown as WebgpuBackendLimits
      const inputs = args.inputs as unknown as tf.TensorInfo[]
      // One storage buffer is the output.
      const perShader = backend.device.limits.maxStorageBuffersPerShaderStage - 1
      const addN = (group: tf.TensorInfo[]) =>
        original.kernelFunc({ ...args, inputs: group as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo
      return groupedSum(inputs, perShader, addN, (t) => backend.disposeData(t.dataId))
    },
  })
  registered = true
}
