import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { BackendName, BackendStatus } from '../../../shared/contract/app'
import type { TrainerExit, TrainerLauncher } from '../../runs/trainer-host'
import { describeCudaSearch, findCudaLibraries } from './cuda-libraries'
import { explainLoadError, PACKAGE_NAMES, type NativePackage } from './load-errors'

/*
 * Which training backends can load on this machine, for `affect info` and the Train view. Each one
 * that loads native code (libtensorflow, the GPU driver through Dawn) or compiles WebAssembly is
 * loaded in a trainer process of its own, started the way a run's trainer is (same runtime, same
 * library path): a crash, a hang or a refusal there becomes a reason here, and main stays up.
 */

export const PROBED_BACKENDS: readonly BackendName[] = ['gpu', 'webgpu', 'native', 'wasm']

const CPU_STATUS: BackendStatus = {
  backend: 'cpu',
  available: true,
  reason: 'Plain JavaScript: runs everywhere, but trains conv nets far slower than the others.',
}

export interface DescribeOptions {
  /** Starts a trainer process (child_process.fork, or Electron's utility process in the app). */
  launch: TrainerLauncher
  /** A probe that has not answered by then is ended and reported (default 30 s). */
  timeoutMs?: number
}

const WHAT: Record<BackendName, { loading: string; fix: string }> = {
  gpu: {
    loading: 'loading @tensorflow/tfjs-node-gpu (libtensorflow with CUDA)',
    fix: 'check the CUDA 11.2 / cuDNN 8.1 libraries, or reinstall it (`npm rebuild @tensorflow/tfjs-node-gpu`)',
  },
  webgpu: {
    loading: 'looking for a GPU through WebGPU (Dawn and the graphics driver)',
    fix: 'update the graphics driver (Vulkan on Linux, Metal on macOS, Direct3D 12 on Windows)',
  },
  native: {
    loading: 'loading @tensorflow/tfjs-node (libtensorflow)',
    fix: 'reinstall it (`npm rebuild @tensorflow/tfjs-node`)',
  },
  wasm: { loading: 'starting the WebAssembly backend', fix: 'reinstall the workbench (`npm install`)' },
  cpu: { loading: 'starting the JavaScript backend', fix: 'reinstall the workbench (`npm install`)' },
}

/** A probe process that ended without answering: what it was doing, how it ended, what to do. */
export function explainProbeCrash(backend: BackendName, exit: TrainerExit): string {
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`
  const lastLine = exit.stderrTail.trim().split('\n').filter(Boolean).pop()
  return `${WHAT[backend].loading} crashed the process that tried it (${how}${lastLine ? `: ${lastLine.slice(0, 300)}` : ''}); ${WHAT[backend].fix}. The workbench itself is unaffected.`
}

export function explainProbeTimeout(backend: BackendName, ms: number): string {
  return `${WHAT[backend].loading} did not finish within ${Math.round(ms / 1000)} s, so the process was stopped (a very busy machine can be this slow: ask again when it is quieter); otherwise ${WHAT[backend].fix}.`
}

/** Probes one backend in its own trainer process; always resolves, with a reason when it cannot load. */
export function probeInChild(backend: BackendName, options: DescribeOptions): Promise<BackendStatus> {
  const timeoutMs = options.timeoutMs ?? 30_000
  return new Promise((resolve) => {
    let answer: BackendStatus | null = null
    let settled = false
    const settle = (status: BackendStatus): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(status)
    }
    const child = options.launch({ quiet: true })
    const timer = setTimeout(() => {
      child.kill()
      settle({ backend, available: false, reason: explainProbeTimeout(backend, timeoutMs) })
    }, timeoutMs)
    let exited = false
    child.onMessage((message) => {
      if (message.type !== 'probed' || message.status.backend !== backend) return
      answer = message.status
      settle(answer)
      // It exits by itself once the answer is out; one that lingers is not waited for.
      setTimeout(() => exited || child.kill(), 5_000).unref()
    })
    child.onExit((exit) => {
      exited = true
      settle(answer ?? { backend, available: false, reason: explainProbeCrash(backend, exit) })
    })
    child.send({ type: 'probe', backend })
  })
}

/** A package that is not installed needs no process to say so (the usual case for gpu and native). */
function notInstalled(pkg: NativePackage): BackendStatus | null {
  try {
    createRequire(import.meta.url).resolve(PACKAGE_NAMES[pkg])
    return null
  } catch (e) {
    const reason = explainLoadError(pkg, e instanceof Error ? e.message : String(e))
    return {
      backend: pkg,
      available: false,
      reason:
        pkg === 'gpu' && nvidiaDriverLoaded()
          ? `${reason} CUDA 11 libraries for it: ${describeCudaSearch(findCudaLibraries())}`
          : reason,
    }
  }
}

/** Linux with NVIDIA's kernel driver running: worth saying what tfjs-node-gpu would find. */
const nvidiaDriverLoaded = (): boolean => process.platform === 'linux' && existsSync('/proc/driver/nvidia/version')

/** Every training backend, in 'auto' order, with whether it loads here and why not. */
export async function describeBackends(options: DescribeOptions): Promise<BackendStatus[]> {
  const probed = await Promise.all(
    PROBED_BACKENDS.map((b) => (b === 'gpu' || b === 'native' ? notInstalled(b) : null) ?? probeInChild(b, options)),
  )
  return [...probed, CPU_STATUS]
}
