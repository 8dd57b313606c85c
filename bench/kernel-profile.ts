import * as tf from '@tensorflow/tfjs'

/*
 * Where a training step spends its time, per kernel. tf.profile lists nested kernels next to the
 * composite kernel that called them (so conv gradients would be counted twice) and syncs on every
 * output; here each kernel registered for the backend is wrapped with a timer for the duration of one
 * run. Only outermost kernel calls are timed (inclusive of what they call), so the rows add up to the
 * time spent in kernels, and the rest of the step is framework overhead (tape, tensor bookkeeping).
 */

export interface KernelTime {
  kernel: string
  ms: number
  calls: number
}

export interface StepProfile {
  totalMs: number
  kernels: KernelTime[]
  /** Time in the step that no kernel accounts for (JavaScript, tfjs engine, tape). */
  overheadMs: number
  /** Kernels called inside composite kernels, as 'Outer>Inner', with their own (exclusive) time. */
  nested: KernelTime[]
}

/** Kernels that do convolution arithmetic (forward and both gradients). */
export const CONV_KERNELS = new Set(['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'])

/** Kernel times of `run`, averaged over `repeat` runs (one run's numbers are at the mercy of noise). */
export async function profileKernels(
  backendName: string,
  run: () => Promise<unknown>,
  repeat = 1,
): Promise<StepProfile> {
  const originals = tf.getKernelsForBackend(backendName)
  const times = new Map<string, KernelTime>()
  const nested = new Map<string, KernelTime>()
  const stack: { name: string; childMs: number }[] = []
  const add = (into: Map<string, KernelTime>, name: string, ms: number) => {
    const row = into.get(name) ?? { kernel: name, ms: 0, calls: 0 }
    row.ms += ms
    row.calls++
    into.set(name, row)
  }
  for (const config of originals) {
    const inner = config.kernelFunc
    const name = config.kernelName
    tf.unregisterKernel(name, backendName)
    tf.registerKernel({
      kernelName: name,
      backendName,
      kernelFunc: (args) => {
        const frame = { name, childMs: 0 }
        stack.push(frame)
        const t0 = performance.now()
        try {
          return inner(args)
        } finally {
          const ms = performance.now() - t0
          stack.pop()
          if (stack.length === 0) add(times, name, ms)
          else {
            stack[stack.length - 1].childMs += ms
            add(nested, [...stack.map((f) => f.name), name].join('>'), ms - frame.childMs)
          }
          if (stack.length === 0 && frame.childMs > 0) add(nested, `${name}>(own)`, ms - frame.childMs)
        }
      },
    })
  }
  let totalMs: number
  try {
    const t0 = performance.now()
    for (let i = 0; i < repeat; i++) await run()
    totalMs = (performance.now() - t0) / repeat
  } finally {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backendName)
      tf.registerKernel(config)
    }
  }
  const perRun = (rows: Map<string, KernelTime>) =>
    [...rows.values()]
      .map((k) => ({ kernel: k.kernel, ms: k.ms / repeat, calls: k.calls / repeat }))
      .sort((a, b) => b.ms - a.ms)
  const kernels = perRun(times)
  const inKernels = kernels.reduce((s, k) => s + k.ms, 0)
  return { totalMs, kernels, overheadMs: Math.max(0, totalMs - inKernels), nested: perRun(nested) }
}

/** Share of the step's wall time spent in convolution kernels. */
export function convShareOf(profile: StepProfile): number {
  const conv = profile.kernels.filter((k) => CONV_KERNELS.has(k.kernel)).reduce((s, k) => s + k.ms, 0)
  return profile.totalMs > 0 ? conv / profile.totalMs : 0
}

export interface ConvRatios {
  /** Conv2DBackpropFilter's time over the forward Conv2D's in the same step (null without either). */
  filterGradient: number | null
  inputGradient: number | null
}

/**
 * Each conv gradient's cost relative to the forward convs of the same profiled step: measured in one
 * process at one moment, so unlike two separate runs it holds on a machine others are using.
 */
export function convRatiosOf(profile: StepProfile): ConvRatios {
  const ms = (name: string) => profile.kernels.find((k) => k.kernel === name)?.ms
  const forward = ms('Conv2D')
  const ratio = (name: string) => {
    const t = ms(name)
    return forward && t !== undefined ? t / forward : null
  }
  return { filterGradient: ratio('Conv2DBackpropFilter'), inputGradient: ratio('Conv2DBackpropInput') }
}

/**
 * Kernel times on a GPU backend (webgpu): the GPU's own time per kernel, from timestamp queries
 * (tf.profile), averaged over `repeat` runs. Timing a kernel's call from JavaScript would measure
 * only its dispatch. The rest of a step's wall time is host work: JavaScript, tfjs, uploads, reads.
 */
export async function profileGpuKernels(
  run: () => Promise<unknown>,
  repeat: number,
  stepMs: number,
): Promise<StepProfile> {
  const rows = new Map<string, KernelTime>()
  for (let i = 0; i < repeat; i++) {
    const info = await tf.profile(async () => {
      await run()
      return []
    })
    for (const k of info.kernels) {
      const row = rows.get(k.name) ?? { kernel: k.name, ms: 0, calls: 0 }
      row.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0
      row.calls++
      rows.set(k.name, row)
    }
  }
  const kernels = [...rows.values()]
    .map((k) => ({ kernel: k.kernel, ms: k.ms / repeat, calls: k.calls / repeat }))
    .sort((a, b) => b.ms - a.ms)
  const inKernels = kernels.reduce((s, k) => s + k.ms, 0)
  return { totalMs: stepMs, kernels, overheadMs: Math.max(0, stepMs - inKernels), nested: [] }
}
