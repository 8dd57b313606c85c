import type { RunDetail, RunMessage, RunSummary } from '@shared/contract'
import { ref } from 'vue'
import { call } from '../../api'
import type { Guarded } from './guarded-calls'

/** The runs opened in detail: config, curves and the trainer's messages (what the live run view shows). */
export function useOpenedRuns(guarded: Guarded) {
  const details = ref<Record<number, RunDetail>>({})
  const messages = ref<Record<number, RunMessage[]>>({})

  /** Loads one run with its config, curves and messages. */
  async function loadRun(id: number): Promise<RunDetail | null> {
    return guarded(async () => {
      const [detail, log] = await Promise.all([call('runs.get', { id }), call('runs.messages', { id })])
      details.value[id] = detail
      messages.value[id] = log
      return detail
    })
  }

  /** A run's new summary, on its detail if it is open. */
  function remember(run: RunSummary): void {
    const detail = details.value[run.id]
    if (detail) Object.assign(detail, run)
  }

  function forget(): void {
    details.value = {}
    messages.value = {}
  }

  return { details, messages, loadRun, remember, forget }
}
