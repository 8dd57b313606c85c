import type { RunDetail, RunMessage, RunSummary } from '@shared/contract'
import { ref, type Ref } from 'vue'
import { on } from '../../api'
import { addMetrics, addProgress } from '../../composables/metric-series'
import type { LiveProgress } from '../../composables/run-progress'

interface LiveNeeds {
  runs: Ref<RunSummary[]>
  details: Ref<Record<number, RunDetail>>
  messages: Ref<Record<number, RunMessage[]>>
  remember: (run: RunSummary) => void
}

/**
 * Follows the run events: status changes, progress, curves and the trainer's messages reach the
 * list and the opened runs whether or not a run's view is open, so it shows where a run is when
 * the view opens again. Returns the latest progress of each run.
 */
export function useLiveRuns({ runs, details, messages, remember }: LiveNeeds) {
  const live = ref<Record<number, LiveProgress>>({})

  on('run.updated', ({ run }) => remember(run))
  on('run.progress', (p) => {
    live.value[p.runId] = p
    const detail = details.value[p.runId]
    if (!detail) return
    Object.assign(detail, { step: p.step, totalSteps: p.totalSteps, imagesPerSecond: p.imagesPerSecond })
    addProgress(detail.metrics, p)
  })
  on('run.metrics', (m) => {
    const detail = details.value[m.runId]
    if (detail) addMetrics(detail.metrics, m)
    if (m.split === 'val') {
      const summary = runs.value.find((r) => r.id === m.runId)
      if (summary) summary.latest = { ...summary.latest, ...m.values }
    }
  })
  on('run.log', ({ runId, level, message }) => {
    ;(messages.value[runId] ??= []).push({ at: new Date().toISOString(), level, message })
  })

  return { live, forget: () => void (live.value = {}) }
}
