import type { BackendName, BackendStatus } from '@shared/contract'
import type { BackendChoice } from '@shared/run-config'

// The Train form's answer to "where will this run compute, and why": auto takes the first backend
// that loads in the trainer's order (CUDA, native CPU, WebAssembly, plain JavaScript).

const ORDER: BackendName[] = ['gpu', 'native', 'wasm', 'cpu']

export const BACKEND_NAMES: Record<BackendName, string> = {
  gpu: 'GPU (CUDA, tfjs-node-gpu)',
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

/** Which backend a run with this choice will use on this machine, and why. */
export function backendPlan(choice: BackendChoice, statuses: readonly BackendStatus[]): BackendPlan {
  const status = (b: BackendName) => statuses.find((s) => s.backend === b)
  if (!statuses.length) return { backend: null, explanation: 'Checking which backends load on this machine…', blocked: false }
  if (choice === 'auto') {
    const chosen = ORDER.find((b) => status(b)?.available) ?? null
    if (!chosen) return { backend: null, explanation: 'No training backend loads on this machine: see the reasons beside each backend.', blocked: true }
    const skipped = ORDER.slice(0, ORDER.indexOf(chosen))
    const because = skipped.length ? `: ${skipped.join(' and ')} ${skipped.length > 1 ? 'do' : 'does'} not load on this machine (why: below)` : ', the fastest backend'
    return { backend: chosen, explanation: `auto will use ${BACKEND_NAMES[chosen]}${because}.`, blocked: false }
  }
  const s = status(choice)
  if (s?.available) return { backend: choice, explanation: `The run will use ${BACKEND_NAMES[choice]}: ${s.reason}.`, blocked: false }
  return { backend: null, explanation: `${BACKEND_NAMES[choice]} cannot load here: ${s?.reason ?? 'not reported'}. Choose auto or an available backend.`, blocked: true }
}
