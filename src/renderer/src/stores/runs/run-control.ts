import type { RunSummary } from '@shared/contract'
import type { RunConfig } from '@shared/run-config'
import { ref } from 'vue'
import { call } from '../../api'
import type { Guarded } from './guarded-calls'

/** Start, Stop and Resume; each answer is the run's new summary, handed to `remember`. */
export function useRunControl(guarded: Guarded, remember: (run: RunSummary) => void) {
  /** The run whose Stop or Resume is being sent. */
  const pending = ref<number | null>(null)

  /** Starts a run; resolves to it (or null with `error` set, e.g. a dataset without training images). */
  async function start(config: RunConfig, name?: string): Promise<RunSummary | null> {
    const run = await guarded(() => call('runs.start', { config, name: name || undefined }))
    if (run) remember(run)
    return run
  }

  /** Asks the trainer to checkpoint and stop. */
  async function stop(id: number): Promise<void> {
    pending.value = id
    const run = await guarded(() => call('runs.stop', { id }))
    if (run) remember(run)
    pending.value = null
  }

  /** Continues a stopped or failed run from its last checkpoint. */
  async function resume(id: number): Promise<void> {
    pending.value = id
    const run = await guarded(() => call('runs.resume', { id }))
    if (run) remember(run)
    pending.value = null
  }

  return { pending, start, stop, resume }
}
