import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { convModule } from './kernels/module'
import { registerWasmTrainingKernels } from './wasm-training-kernels'

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']

/**
 * Folder holding the backend's .wasm binaries (the package's dist folder on disk). In Node the
 * default lookup goes through fetch/relative URLs that do not resolve, so the path is set explicitly.
 */
export function wasmBinaryDir(): string {
  const override = process.env.AFFECT_TFJS_WASM_DIR
  if (override) return override
  const require = createRequire(import.meta.url)
  const main = require.resolve('@tensorflow/tfjs-backend-wasm')
  return dirname(main)
}

let wasmPathsSet = false

/**
 * Point the wasm backend at its binaries, threads off (the pthread build needs a worker setup that
 * Node does not give it; we use both cores with data-parallel worker_threads instead). SIMD is left to
 * the backend's own detection, which is on in every Node >= 16.
 */
export function configureWasm(): void {
  if (wasmPathsSet) return
  const dir = wasmBinaryDir()
  const missing = WASM_FILES.filter((f) => !existsSync(join(dir, f)))
  if (missing.length === WASM_FILES.length) {
    throw new Error(`tfjs wasm binaries not found in ${dir} (expected ${WASM_FILES.join(', ')})`)
  }
  setWasmPaths(dir.endsWith('/') ? dir : dir + '/')
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  wasmPathsSet = true
}

/**
 * The cpu backend prints a banner recommending tfjs-node the first time it holds data (tfjs always
 * keeps a few values there). describeBackends already says what tfjs-node would bring, so the banner
 * is switched off; it would otherwise land in the middle of `affect bench` output.
 */
export function quietCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as (tf.KernelBackend & { firstUse?: boolean }) | null
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false
}

/**
 * Make 'wasm' the active backend, with the kernels a conv-net training step needs. Throws with the
 * underlying reason when the WebAssembly module cannot be compiled or instantiated.
 */
export async function activateWasm(): Promise<void> {
  configureWasm()
  registerWasmTrainingKernels()
  // Compiled now, so a runtime that cannot run the conv kernels fails here, with the reason.
  convModule()
  quietCpuBanner()
  const ok = await tf.setBackend('wasm')
  if (!ok) throw new Error('the tfjs wasm backend failed to initialise (see the warning printed above)')
  await tf.ready()
}
