import * as tf from '@tensorflow/tfjs'
import type { GpuAdapter } from '../../../shared/contract/app'
import { describeAdapter, explainNoAdapter, type AdapterFacts } from './gpu-adapter'
import { adapterSearchHere } from './vulkan-drivers'
import { registerWebgpuTrainingKernels } from './webgpu-kernels'

/*
 * The webgpu backend: TensorFlow.js's WebGPU kernels on Dawn, the WebGPU implementation of Chromium,
 * through its Node binding (the `webgpu` package ships dawn.node for Linux, macOS and Windows). Dawn
 * runs over Vulkan, Metal or Direct3D 12, so any GPU with a current driver trains, without CUDA.
 *
 * The device is created here rather than by tfjs's own factory, so that a lost device or a GPU out
 * of memory is recorded as it happens (gpuFault) and the training loop can end the run with the reason.
 */

/** The parts of Dawn's WebGPU objects used here (its own typings would add DOM globals to main). */
interface DawnDevice {
  lost: Promise<{ reason: string; message: string }>
  addEventListener(
    type: 'uncapturederror',
    listener: (event: { error: { message: string; constructor: { name: string } } }) => void,
  ): void
  destroy(): void
}
interface DawnAdapter extends AdapterFacts {
  features: { has(name: string): boolean }
  info: AdapterFacts['info']
  limits: AdapterFacts['limits'] & Record<string, number>
  requestDevice(descriptor: { requiredFeatures: string[]; requiredLimits: Record<string, number> }): Promise<DawnDevice>
}
interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<DawnAdapter | null>
}
interface DawnModule {
  create(flags: string[]): DawnGpu
  globals: Record<string, unknown>
}
interface WebgpuBackendModule {
  WebGPUBackend: new (device: DawnDevice, adapterInfo: unknown) => tf.KernelBackend
}

// Computed names: neither the bundler nor the type checker follows them (see the interfaces above).
const DAWN_PACKAGE = 'webgpu'
const TFJS_WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu'

export type AdapterLookup = { ok: true; adapter: GpuAdapter; raw: DawnAdapter } | { ok: false; reason: string }

let gpu: Promise<DawnGpu> | null = null

/** Loads dawn.node once per process and makes WebGPU's globals (GPUBufferUsage...) visible to tfjs. */
function dawn(): Promise<DawnGpu> {
  gpu ??= (async () => {
    // tfjs's WebGPU package registers its own device factory when it finds navigator.gpu on import;
    // imported before navigator.gpu exists, it only registers its kernels and leaves the device to us.
    await import(/* @vite-ignore */ TFJS_WEBGPU_PACKAGE)
    const { create, globals } = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as DawnModule
    Object.assign(globalThis, globals)
    const instance = create([])
    exposeGpu(instance)
    return instance
  })()
  return gpu
}

/**
 * tfjs looks for navigator.gpu. Node 20 has no navigator; Node 21+ and Electron's utility process
 * have one without gpu: it gets the property, or, should it refuse, a stand-in that inherits from it.
 */
function exposeGpu(instance: DawnGpu): void {
  const nav = (globalThis as { navigator?: object }).navigator
  const replace = (value: object) =>
    Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true })
  if (!nav) return void replace({ gpu: instance })
  try {
    Object.defineProperty(nav, 'gpu', { value: instance, configurable: true })
  } catch {
    replace(Object.create(nav, { gpu: { value: instance } }))
  }
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]

/** The GPU Dawn would train on (the high-performance one), described, or why there is none. */
export async function findAdapter(): Promise<AdapterLookup> {
  let instance: DawnGpu
  try {
    instance = await dawn()
  } catch (e) {
    return {
      ok: false,
      reason: `WebGPU's Node binding (dawn.node in the webgpu package) failed to load: ${firstLine(e)}. Reinstall with \`npm install\`.`,
    }
  }
  let raw: DawnAdapter | null
  try {
    raw = await instance.requestAdapter({ powerPreference: 'high-performance' })
  } catch (e) {
    return { ok: false, reason: `WebGPU could not look for a GPU: ${firstLine(e)}` }
  }
  if (!raw) return { ok: false, reason: explainNoAdapter(adapterSearchHere()) }
  return { ok: true, adapter: describeAdapter(raw), raw }
}

/** auto met a software adapter: the reason says so, and the adapter is kept for the status. */
export class AdapterRefusedError extends Error {
  constructor(
    readonly adapter: GpuAdapter,
    reason: string,
  ) {
    super(reason)
    this.name = 'AdapterRefusedError'
  }
}

/** A lost device or a GPU out of memory: the run cannot go on in this process. */
export interface GpuFault {
  /** lost: the device is gone; out-of-memory: an allocation failed; invalid: WebGPU rejected a computation. */
  kind: 'lost' | 'out-of-memory' | 'invalid'
  message: string
}

let fault: GpuFault | null = null
let active: { device: DawnDevice; adapter: GpuAdapter } | null = null

/** What went wrong with the GPU since the backend started, if anything. */
export const gpuFault = (): GpuFault | null => fault

/** The adapter the active webgpu backend runs on, once activated. */
export const activeAdapter = (): GpuAdapter | null => active?.adapter ?? null

/** Reports the device's loss, and any error WebGPU raised that nobody caught, as faults. */
export function watchDevice(
  device: Pick<DawnDevice, 'lost' | 'addEventListener'>,
  report: (fault: GpuFault) => void,
): void {
  void device.lost.then((info) =>
    report({
      kind: 'lost',
      message: `the GPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''})`,
    }),
  )
  device.addEventListener('uncapturederror', (event) => {
    const error = event.error
    if (error.constructor.name === 'GPUOutOfMemoryError' || /out of memory/i.test(error.message)) {
      report({ kind: 'out-of-memory', message: `the GPU ran out of memory (${firstLine(error.message)})` })
    } else {
      // Any other uncaptured error means a kernel did not run: its output, and all that follows, is garbage.
      report({
        kind: 'invalid',
        message: `WebGPU rejected a computation, so its results cannot be trusted (${firstLine(error.message)})`,
      })
    }
  })
}

/** The limits tfjs's own factory asks for: the adapter's, not WebGPU's small defaults. */
function requiredLimits(raw: DawnAdapter): Record<string, number> {
  // The last one is ours: more inputs per shader, fewer groups in AddN (webgpu-kernels.ts).
  const names = [
    'maxComputeWorkgroupStorageSize',
    'maxComputeWorkgroupsPerDimension',
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupSizeX',
    'maxComputeInvocationsPerWorkgroup',
    'maxStorageBuffersPerShaderStage',
  ]
  return Object.fromEntries(names.map((n) => [n, raw.limits[n]]))
}

/**
 * Creates the device on the adapter found and makes 'webgpu' the active tfjs backend. Throws with
 * the reason when there is no adapter, or when it is a software one and `allowSoftware` is false.
 */
export async function activateWebgpu(opts: {
  allowSoftware: boolean
  softwareRefusal: (a: GpuAdapter) => string
}): Promise<GpuAdapter> {
  if (active) {
    if (active.adapter.software && !opts.allowSoftware)
      throw new AdapterRefusedError(active.adapter, opts.softwareRefusal(active.adapter))
    await tf.setBackend('webgpu')
    return active.adapter
  }
  const found = await findAdapter()
  if (!found.ok) throw new Error(found.reason)
  if (found.adapter.software && !opts.allowSoftware)
    throw new AdapterRefusedError(found.adapter, opts.softwareRefusal(found.adapter))
  const features = ['timestamp-query'].filter((f) => found.raw.features.has(f))
  const device = await found.raw.requestDevice({
    requiredFeatures: features,
    requiredLimits: requiredLimits(found.raw),
  })
  // The first fault is the cause; what follows from it is noise.
  watchDevice(device, (f) => (fault ??= f))
  const { WebGPUBackend } = (await import(/* @vite-ignore */ TFJS_WEBGPU_PACKAGE)) as WebgpuBackendModule
  registerWebgpuTrainingKernels()
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu')
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, found.raw.info), 0)
  if (!(await tf.setBackend('webgpu')))
    throw new Error('the tfjs WebGPU backend failed to start on the adapter (see the warning printed above)')
  active = { device, adapter: found.adapter }
  return found.adapter
}
