import * as tf from '@tensorflow/tfjs'
import type { FaceBackendChoice, FaceBackendReport } from '../../shared/faces'
import { loadNativePackage } from '../trainer/backend/native'
import { configureWasm, quietCpuBanner } from '../trainer/backend/wasm'

// Where the face finder's networks run. 'auto' tries tfjs-node (TensorFlow's native CPU kernels),
// then the bundled WebAssembly backend, then plain JavaScript. tfjs-node-gpu is never loaded here:
// TensorFlow would reserve the GPU's memory for this process and starve a training run, and
// detection is light enough for the CPU. Like the trainer, the finder runs in its own process:
// tfjs-node cannot be loaded in a second worker thread ("Module did not self-register").

type Name = FaceBackendReport['name']
type Attempt = { ok: true; reason: string } | { ok: false; reason: string }

const ORDER: Name[] = ['native', 'wasm', 'cpu']

async function tryNative(threads: number | undefined): Promise<Attempt> {
  const loaded = await loadNativePackage('native', threads)
  if (!loaded.ok) return loaded
  await tf.setBackend('tensorflow')
  return { ok: true, reason: "TensorFlow's native CPU kernels (tfjs-node)." }
}

async function tryWasm(): Promise<Attempt> {
  try {
    configureWasm()
    quietCpuBanner()
    if (!(await tf.setBackend('wasm')))
      return { ok: false, reason: 'the tfjs WebAssembly backend failed to initialise' }
    await tf.ready()
  } catch (error) {
    return {
      ok: false,
      reason: `WebAssembly backend failed to start: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
  return { ok: true, reason: `WebAssembly (XNNPACK${simd ? ', SIMD' : ', no SIMD: slower'}), one thread.` }
}

async function tryCpu(): Promise<Attempt> {
  quietCpuBanner()
  if (!(await tf.setBackend('cpu'))) return { ok: false, reason: 'the plain JavaScript backend failed to start' }
  return { ok: true, reason: 'Plain JavaScript: runs everywhere, several times slower than WebAssembly.' }
}

/** Thrown when no backend (or not the one asked for) can run the face finder; the message says why. */
export class FaceBackendUnavailableError extends Error {
  constructor(readonly report: FaceBackendReport['tried']) {
    super(`the face finder cannot run here: ${report.map((r) => `${r.backend}: ${r.reason}`).join('; ')}`)
    this.name = 'FaceBackendUnavailableError'
  }
}

/** Makes the chosen backend active; 'auto' falls through the order above, keeping each reason. */
export async function selectFaceBackend(choice: FaceBackendChoice, threads?: number): Promise<FaceBackendReport> {
  const order = choice === 'auto' ? ORDER : [choice]
  const tried: FaceBackendReport['tried'] = []
  for (const name of order) {
    const attempt = name === 'native' ? await tryNative(threads) : name === 'wasm' ? await tryWasm() : await tryCpu()
    tried.push({ backend: name, available: attempt.ok, reason: attempt.reason })
    if (attempt.ok) return { name, tried }
  }
  throw new FaceBackendUnavailableError(tried)
}
