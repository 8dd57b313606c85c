import * as tf from '@tensorflow/tfjs'
import type { BackendName, BackendStatus } from '../../../shared/contract/app'
import { explainGpuNotUsed, PACKAGE_NAMES } from './load-errors'
import { loadedNativePackage, loadNativePackage, probeCudaLibraries } from './native'
import { convModule } from './kernels/module'
import { activateWasm, configureWasm, quietCpuBanner, wasmBinaryDir } from './wasm'

/*
 * Choosing where training runs. 'auto' tries tfjs-node-gpu (CUDA), tfjs-node (native CPU), the bundled
 * WebAssembly backend and plain JavaScript, in that order, and keeps the reason each one that was
 * tried did or did not load, in words a researcher can act on.
 */

export type { BackendName, BackendStatus }
export type BackendChoice = 'auto' | BackendName

export interface SelectedBackend {
  name: BackendName
  /** The tfjs backend now active: 'tensorflow', 'wasm' or 'cpu'. */
  tfBackend: string
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

const AUTO_ORDER: BackendName[] = ['gpu', 'native', 'wasm', 'cpu']

type Attempt = { ok: true; tfBackend: string; reason: string; actualName?: BackendName; extra?: BackendStatus } | { ok: false; reason: string }

async function tryGpu(threads: number | undefined, auto: boolean): Promise<Attempt> {
  const loaded = await loadNativePackage('gpu', threads)
  if (!loaded.ok) return loaded
  if (loaded.usingGpu) {
    await tf.setBackend('tensorflow')
    return { ok: true, tfBackend: 'tensorflow', reason: 'TensorFlow with CUDA (tfjs-node-gpu) on the GPU.' }
  }
  const reason = explainGpuNotUsed(probeCudaLibraries())
  if (!auto) return { ok: false, reason }
  // The loaded libtensorflow still has fast CPU kernels, and tfjs-node cannot be loaded beside it.
  await tf.setBackend('tensorflow')
  return {
    ok: true,
    tfBackend: 'tensorflow',
    reason,
    actualName: 'native',
    extra: { backend: 'native', available: true, reason: "TensorFlow's CPU kernels, through tfjs-node-gpu (no usable GPU)." },
  }
}

async function tryNative(threads: number | undefined): Promise<Attempt> {
  if (loadedNativePackage() === 'gpu') {
    await tf.setBackend('tensorflow')
    return { ok: true, tfBackend: 'tensorflow', reason: "TensorFlow's CPU kernels, through the already loaded tfjs-node-gpu." }
  }
  const loaded = await loadNativePackage('native', threads)
  if (!loaded.ok) return loaded
  await tf.setBackend('tensorflow')
  return { ok: true, tfBackend: 'tensorflow', reason: `TensorFlow's native CPU kernels (tfjs-node)${threads ? `, ${threads} threads` : ''}.` }
}

async function tryWasm(threads: number | undefined): Promise<Attempt> {
  try {
    await activateWasm()
  } catch (e) {
    return { ok: false, reason: `WebAssembly backend failed to start: ${e instanceof Error ? e.message : String(e)}` }
  }
  const note = threads && threads > 1 ? ` One thread per process; ${threads} threads need data-parallel workers.` : ''
  return { ok: true, tfBackend: 'wasm', reason: `WebAssembly with SIMD (our conv kernels, XNNPACK for the rest), one thread.${note}` }
}

async function tryCpu(): Promise<Attempt> {
  quietCpuBanner()
  const ok = await tf.setBackend('cpu')
  if (!ok) return { ok: false, reason: 'the plain JavaScript backend failed to start' }
  return { ok: true, tfBackend: 'cpu', reason: 'Plain JavaScript: runs everywhere, but trains conv nets far slower than the others.' }
}

function attempt(name: BackendName, threads: number | undefined, auto: boolean): Promise<Attempt> {
  switch (name) {
    case 'gpu':
      return tryGpu(threads, auto)
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
  if (!order.every((b) => AUTO_ORDER.includes(b))) throw new Error(`unknown backend '${choice}' (known: auto, ${AUTO_ORDER.join(', ')})`)
  const reasons: BackendStatus[] = []
  for (const name of order) {
    const a = await attempt(name, opts.threads, choice === 'auto')
    if (!a.ok) {
      reasons.push({ backend: name, available: false, reason: a.reason })
      continue
    }
    if (a.actualName) {
      reasons.push({ backend: name, available: false, reason: a.reason })
      if (a.extra) reasons.push(a.extra)
      return { name: a.actualName, tfBackend: a.tfBackend, reasons }
    }
    reasons.push({ backend: name, available: true, reason: a.reason })
    return { name, tfBackend: a.tfBackend, reasons }
  }
  throw new BackendUnavailableError(order[order.length - 1], reasons)
}

/**
 * What can train here and why not, without changing the active backend (for `app.info`). Loading
 * tfjs-node(-gpu) to find out registers its backend but does not switch to it.
 */
export async function describeBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = []
  const gpu = await loadNativePackage('gpu')
  if (!gpu.ok) out.push({ backend: 'gpu', available: false, reason: gpu.reason })
  else if (gpu.usingGpu) out.push({ backend: 'gpu', available: true, reason: 'TensorFlow with CUDA (tfjs-node-gpu) sees a GPU.' })
  else out.push({ backend: 'gpu', available: false, reason: explainGpuNotUsed(probeCudaLibraries()) })

  if (gpu.ok) {
    out.push({ backend: 'native', available: true, reason: `TensorFlow's CPU kernels, through ${PACKAGE_NAMES.gpu}.` })
  } else {
    const native = await loadNativePackage('native')
    out.push(native.ok ? { backend: 'native', available: true, reason: "TensorFlow's native CPU kernels (tfjs-node)." } : { backend: 'native', available: false, reason: native.reason })
  }

  out.push(await describeWasm())
  out.push({ backend: 'cpu', available: true, reason: 'Plain JavaScript: runs everywhere, but trains conv nets far slower than the others.' })
  return out
}

async function describeWasm(): Promise<BackendStatus> {
  if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object') return { backend: 'wasm', available: false, reason: 'this JavaScript runtime has no WebAssembly' }
  try {
    configureWasm()
  } catch (e) {
    return { backend: 'wasm', available: false, reason: `${e instanceof Error ? e.message : String(e)}; reinstall @tensorflow/tfjs-backend-wasm` }
  }
  try {
    convModule()
  } catch (e) {
    return { backend: 'wasm', available: false, reason: e instanceof Error ? e.message : String(e) }
  }
  return {
    backend: 'wasm',
    available: true,
    reason: `WebAssembly with SIMD (our conv kernels, XNNPACK for the rest), one thread per process; binaries in ${wasmBinaryDir()}.`,
  }
}
