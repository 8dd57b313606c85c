import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { explainLoadError, NativePackage, PACKAGE_NAMES } from './load-errors'

/*
 * Loading @tensorflow/tfjs-node-gpu and @tensorflow/tfjs-node. Both are optional dependencies whose
 * install downloads libtensorflow, so they are often absent: they are only ever loaded with a dynamic
 * import of a computed name (no bundler or type checker tries to resolve them), inside try/catch.
 */

export type NativeLoad = { ok: true; usingGpu: boolean } | { ok: false; reason: string }

const loads = new Map<NativePackage, Promise<NativeLoad>>()

/** Loads the package once per process; later calls return the first outcome. */
export function loadNativePackage(pkg: NativePackage, threads?: number): Promise<NativeLoad> {
  let p = loads.get(pkg)
  if (!p) {
    p = load(pkg, threads)
    loads.set(pkg, p)
  }
  return p
}

/** The native package already loaded in this process, if any (both cannot be). */
export function loadedNativePackage(): NativePackage | undefined {
  return tf.findBackend('tensorflow') ? (loads.has('gpu') ? 'gpu' : 'native') : undefined
}

async function load(pkg: NativePackage, threads?: number): Promise<NativeLoad> {
  const name = PACKAGE_NAMES[pkg]
  const other: NativePackage = pkg === 'gpu' ? 'native' : 'gpu'
  if (tf.findBackend('tensorflow') && loads.has(other)) {
    return {
      ok: false,
      reason: `${PACKAGE_NAMES[other]} is already loaded in this process; ${name} cannot be loaded beside it.`,
    }
  }
  try {
    createRequire(import.meta.url).resolve(name)
  } catch (e) {
    return { ok: false, reason: explainLoadError(pkg, errorText(e)) }
  }
  if (threads !== undefined && threads > 0) {
    // Read by libtensorflow when it starts, so only effective before the first load.
    process.env.TF_NUM_INTRAOP_THREADS ??= String(threads)
    process.env.TF_NUM_INTEROP_THREADS ??= '1'
  }
  try {
    await import(/* @vite-ignore */ name)
  } catch (e) {
    return { ok: false, reason: explainLoadError(pkg, errorText(e)) }
  }
  const backend = tf.findBackend('tensorflow') as (tf.KernelBackend & { isUsingGpuDevice?: boolean }) | null
  if (!backend)
    return {
      ok: false,
      reason: `${name} loaded but did not register its 'tensorflow' backend (version mismatch with @tensorflow/tfjs ${tf.version.tfjs}?)`,
    }
  return { ok: true, usingGpu: backend.isUsingGpuDevice === true }
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.message}\n${e.stack ?? ''}`
  return String(e)
}

// What TensorFlow 2.9 (tfjs-node-gpu 4.x) opens at start-up to use a GPU.
const CUDA_LIBRARIES = [
  'libcuda.so.1',
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
]

/**
 * CUDA libraries the dynamic loader cannot find (Linux; elsewhere an empty list). A library that
 * exists loads and is then rejected as "not a Node addon"; one that does not exist fails to open.
 */
export function probeCudaLibraries(): string[] {
  if (process.platform !== 'linux') return []
  const missing: string[] = []
  for (const lib of CUDA_LIBRARIES) {
    try {
      process.dlopen({ exports: {} } as NodeJS.Module, lib)
    } catch (e) {
      if (/cannot open shared object file/.test(errorText(e))) missing.push(lib)
    }
  }
  return missing
}
