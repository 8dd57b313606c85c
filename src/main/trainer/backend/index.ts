import * as tf from '@tensorflow/tfjs'
import { TRAINING_BACKENDS, type BackendName, type BackendStatus, type GpuAdapter } from '../../../shared/contract/app'
import { adapterSummary, softwareAdapterSkipped } from './gpu-adapter'
import { explainGpuNotUsed } from './load-errors'
import { loadedNativePackage, loadNativePackage, probeCudaLibraries } from './native'
import { activateWasm, quietCpuBanner } from './wasm'
import { activateWebgpu, AdapterRefusedError, gpuFault } from './webgpu'

/*
 * Choosing where training runs. 'auto' tries tfjs-node-gpu (CUDA), WebGPU on a hardware adapter,
 * tfjs-node (native CPU), the bundled WebAssembly backend and plain JavaScript, in that order, and
 * keeps the reason each one that was tried did or did not load, in words a researcher can act on.
 * Which backends can load at all is found out in child processes (probe.ts), never here in main.
 */

export type { BackendName, BackendStatus }
export type BackendChoice = 'auto' | BackendName

export interface SelectedBackend {
  name: BackendName
  /** The tfjs backend now active: 'tensorflow', 'webgpu', 'wasm' or 'cpu'. */
  tfBackend: string
  /** webgpu: the adapter it runs on. */
  adapter?: GpuAdapter
  /** Every backend tried, in order, with why it was or was not used. */
  reasons: BackendStatus[]
}

export interface BackendOptions {
  /** CPU threads: for tfjs-node, TensorFlow's intra-op threads; wasm and cpu always use one. */
  threads?: number
}

/** A backend that was asked for explicitly could not be used; `reasons` says why. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reasons: BackendStatus[],
  ) {
    super(reasons.find((r) => r.backend === backend)?.reason ?? `backend '${backend}' is not available`)
    this.name = 'BackendUnavailableError'
  }
}

const AUTO_ORDER: readonly BackendName[] = TRAINING_BACKENDS

type Attempt =
  | { ok: true; tfBackend: string; reason: string; adapter?: GpuAdapter }
  | { ok: false; reason: string; adapter?: GpuAdapter }

async function tryGpu(threads: number | undefined): Promise<Attempt> {
  const loaded = await loadNativePackage('gpu', threads)
  if (!loaded.ok) return loaded
  // Without a GPU, tfjs-node-gpu runs on the CPU without a word: say why, and let 'native' use it.
  if (!loaded.usingGpu) return { ok: false, reason: explainGpuNotUsed(probeCudaLibraries()) }
  await tf.setBackend('tensorflow')
  return { ok: true, tfBackend: 'tensorflow', reason: 'TensorFlow with CUDA (tfjs-node-gpu) on the GPU.' }
}

async function tryWebgpu(auto: boolean): Promise<Attempt> {
  try {
    const adapter = await activateWebgpu({ allowSoftware: !auto, softwareRefusal: softwareAdapterSkipped })
    const note = adapter.software
      ? ' auto does not pick a software adapter (wasm is faster on the same CPU); asked for by name, it trains.'
      : ''
    return { ok: true, tfBackend: 'webgpu', adapter, reason: `WebGPU (Dawn) on ${adapterSummary(adapter)}.${note}` }
  } catch (e) {
    if (e instanceof AdapterRefusedError) return { ok: false, reason: e.message, adapter: e.adapter }
    return { ok: false, reason: e instanceof Error ? e.message : String(e) }
  }
}

async function tryNative(threads: number | undefined): Promise<Attempt> {
  if (loadedNativePackage() === 'gpu') {
    await tf.setBackend('tensorflow')
    return {
      ok: true,
      tfBackend: 'tensorflow',
      reason: "TensorFlow's CPU kernels, through the already loaded tfjs-node-gpu.",
    }
  }
  const loaded = await loadNativePackage('native', threads)
  if (!loaded.ok) return loaded
  await tf.setBackend('tensorflow')
  return {
    ok: true,
    tfBackend: 'tensorflow',
    reason: `TensorFlow's native CPU kernels (tfjs-node)${threads ? `, ${threads} threads` : ''}.`,
  }
}

async function tryWasm(threads: number | undefined): Promise<Attempt> {
  try {
    await activateWasm()
  } catch (e) {
    return { ok: false, reason: `WebAssembly backend failed to start: ${e instanceof Error ? e.message : String(e)}` }
  }
  const note = threads && threads > 1 ? ` One thread per process; ${threads} threads need data-parallel workers.` : ''
  return {
    ok: true,
    tfBackend: 'wasm',
    reason: `WebAssembly with SIMD (our kernels for convolutions, batch norm and the update; XNNPACK for the rest), one thread.${note}`,
  }
}

async function tryCpu(): Promise<Attempt> {
  quietCpuBanner()
  const ok = await tf.setBackend('cpu')
  if (!ok) return { ok: false, reason: 'the plain JavaScript backend failed to start' }
  return {
    ok: true,
    tfBackend: 'cpu',
    reason: 'Plain JavaScript: runs everywhere, but trains conv nets far slower than the others.',
  }
}

function attempt(name: BackendName, threads: number | undefined, auto: boolean): Promise<Attempt> {
  switch (name) {
    case 'gpu':
      return tryGpu(threads)
    case 'webgpu':
      return tryWebgpu(auto)
    case 'native':
      return tryNative(threads)
    case 'wasm':
      return tryWasm(threads)
    case 'cpu':
      return tryCpu()
  }
}

/**
 * Makes the chosen backend the active tfjs backend. An explicit choice that cannot load throws
 * BackendUnavailableError (its message is the reason); 'auto' falls through to the next one.
 */
export async function selectBackend(choice: BackendChoice, opts: BackendOptions = {}): Promise<SelectedBackend> {
  const order = choice === 'auto' ? AUTO_ORDER : [choice]
  if (!order.every((b) => AUTO_ORDER.includes(b)))
    throw new Error(`unknown backend '${choice}' (known: auto, ${AUTO_ORDER.join(', ')})`)
  const reasons: BackendStatus[] = []
  for (const name of order) {
    const a = await attempt(name, opts.threads, choice === 'auto')
    reasons.push({ backend: name, available: a.ok, reason: a.reason, ...(a.adapter ? { adapter: a.adapter } : {}) })
    if (a.ok) return { name, tfBackend: a.tfBackend, reasons, ...(a.adapter ? { adapter: a.adapter } : {}) }
  }
  throw new BackendUnavailableError(order[order.length - 1], reasons)
}

/**
 * Throws when the active backend can no longer be trusted: a lost GPU device or a GPU out of
 * memory (webgpu). The training loop asks after every step.
 */
export function assertBackendHealthy(): void {
  if (tf.getBackend() !== 'webgpu') return
  const fault = gpuFault()
  if (fault) throw new GpuFaultError(fault.kind, fault.message)
}

/**
 * After an error on the active backend: the GPU fault behind it, if any. A lost device makes the
 * step fail (a read-back is aborted) a moment before Dawn reports the loss, so wait for that moment.
 */
export async function faultBehind(): Promise<GpuFaultError | null> {
  if (tf.getBackend() !== 'webgpu') return null
  await new Promise((resolve) => setTimeout(resolve, 100))
  const fault = gpuFault()
  return fault ? new GpuFaultError(fault.kind, fault.message) : null
}

/** The GPU device was lost, ran out of memory or rejected a computation: nothing computed since can be trusted. */
export class GpuFaultError extends Error {
  constructor(
    readonly kind: 'lost' | 'out-of-memory' | 'invalid',
    message: string,
  ) {
    super(message)
    this.name = 'GpuFaultError'
  }
}
