import { TRAINING_BACKENDS, type BackendName, type BackendStatus, type GpuAdapter } from '@shared/contract'
import type { BackendChoice } from '@shared/run-config'

// The Train form's answer to "where will this run compute, and why": auto takes the first backend
// that loads in the trainer's order (CUDA, WebGPU on a real GPU, native CPU, WebAssembly, plain
// JavaScript). A software WebGPU adapter (SwiftShader...) is never auto's choice: it is slower than
// WebAssembly on the same CPU.

export const BACKEND_NAMES: Record<BackendName, string> = {
  gpu: 'GPU (CUDA, tfjs-node-gpu)',
  webgpu: 'GPU through WebGPU (Vulkan, Metal, Direct3D 12)',
  native: 'native CPU library (tfjs-node)',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript',
}

export interface BackendPlan {
  /** The backend the run will use, or null when the choice cannot load here. */
  backend: BackendName | null
  /** One or two sentences in words. */
  explanation: string
  /** Starting would fail: the chosen backend does not load on this machine. */
  blocked: boolean
}

/** Whether auto may take this backend: it loads, and is not WebGPU on a software adapter. */
const autoTakes = (s: BackendStatus | undefined): boolean => !!s?.available && !s.adapter?.software

const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20).toLocaleString('en')} MiB`

/** "NVIDIA GeForce RTX 3060 (nvidia ampere); largest buffer 2,048 MiB, workgroup storage 32 KiB". */
export function adapterLine(a: GpuAdapter): string {
  const name = a.description || a.device || 'unnamed adapter'
  const maker = [a.vendor, a.architecture].filter(Boolean).join(' ')
  const software = a.software ? ', a software adapter that runs on the CPU' : ''
  return `${name}${maker ? ` (${maker})` : ''}${software}; largest buffer ${mib(Math.min(a.maxBufferSize, a.maxStorageBufferBindingSize))}, workgroup storage ${Math.round(a.maxComputeWorkgroupStorageSize / 1024)} KiB`
}

/** Which backend a run with this choice will use on this machine, and why. */
export function backendPlan(choice: BackendChoice, statuses: readonly BackendStatus[]): BackendPlan {
  const status = (b: BackendName) => statuses.find((s) => s.backend === b)
  if (!statuses.length)
    return { backend: null, explanation: 'Checking which backends load on this machine…', blocked: false }
  if (choice === 'auto') {
    const chosen = TRAINING_BACKENDS.find((b) => autoTakes(status(b))) ?? null
    if (!chosen)
      return {
        backend: null,
        explanation: 'No training backend loads on this machine: see the reasons beside each backend.',
        blocked: true,
      }
    const skipped = TRAINING_BACKENDS.slice(0, TRAINING_BACKENDS.indexOf(chosen))
    const software = skipped.filter((b) => status(b)?.available)
    const missing = skipped.filter((b) => !status(b)?.available)
    const parts: string[] = []
    if (missing.length)
      parts.push(`${missing.join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not load on this machine`)
    if (software.length)
      parts.push(
        `${software.join(' and ')} only has a software adapter, slower than the CPU backends (choose it by name to use it anyway)`,
      )
    const because = parts.length ? `: ${parts.join('; ')} (why: below)` : ', the fastest backend'
    return { backend: chosen, explanation: `auto will use ${BACKEND_NAMES[chosen]}${because}.`, blocked: false }
  }
  const s = status(choice)
  if (s?.available)
    return {
      backend: choice,
      explanation: `The run will use ${BACKEND_NAMES[choice]}: ${s.reason.replace(/\.$/, '')}.`,
      blocked: false,
    }
  return {
    backend: null,
    explanation: `${BACKEND_NAMES[choice]} cannot load here: ${(s?.reason ?? 'not reported').replace(/\.\s*$/, '')}. Choose auto or an available backend.`,
    blocked: true,
  }
}
