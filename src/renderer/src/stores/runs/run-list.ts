import type { RunBests, RunSummary } from '@shared/contract'
import { ref } from 'vue'
import { call } from '../../api'
import type { Guarded } from './guarded-calls'

/** The workspace's runs, newest first, with the best value of each of their validation metrics. */
export function useRunList(guarded: Guarded) {
  const runs = ref<RunSummary[]>([])
  const bests = ref<Record<number, RunBests['best']>>({})

  /** Loads every run and the best value of each of their validation metrics. */
  async function loadList(): Promise<void> {
    await guarded(async () => {
      const [list, best] = await Promise.all([call('runs.list', {}), call('runs.bestMetrics', {})])
      runs.value = list
      bests.value = Object.fromEntries(best.map((b) => [b.runId, b.best]))
    })
  }

  /** A run's new summary: in its place, or first when it is new. */
  function remember(run: RunSummary): void {
    const at = runs.value.findIndex((r) => r.id === run.id)
    if (at >= 0) runs.value[at] = run
    else runs.value.unshift(run)
  }

  function forget(): void {
    runs.value = []
    bests.value = {}
  }

  return { runs, bests, loadList, remember, forget }
}
