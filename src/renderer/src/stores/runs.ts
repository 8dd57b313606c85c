import type { RunBests, RunDetail, RunMessage, RunSummary } from '@shared/contract'
import type { RunConfig } from '@shared/run-config'
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { call, on } from '../api'
import { addMetrics, addProgress } from '../composables/metric-series'
import type { LiveProgress } from '../composables/run-progress'
import { useWorkspaceStore } from './workspace'

/**
 * The workspace's training runs, kept live: the list, the runs opened in detail (config, curves),
 * the latest progress and the trainer's messages. It subscribes to the run events once, so a run
 * keeps updating while its view is closed and shows where it is when the view opens again.
 */
export const useRunsStore = defineStore('runs', () => {
  const runs = ref<RunSummary[]>([])
  const bests = ref<Record<number, RunBests['best']>>({})
  const details = ref<Record<number, RunDetail>>({})
  const live = ref<Record<number, LiveProgress>>({})
  const messages = ref<Record<number, RunMessage[]>>({})
  const error = ref<string | null>(null)
  /** The run whose Stop or Resume is being sent. */
  const pending = ref<number | null>(null)

  async function guarded<T>(action: () => Promise<T>): Promise<T | null> {
    try {
      const value = await action()
      error.value = null
      return value
    } catch (e) {
      error.value = (e as Error).message
      return null
    }
  }

  /** Loads every run and the best value of each of their validation metrics. */
  async function loadList(): Promise<void> {
    await guarded(async () => {
      const [list, best] = await Promise.all([call('runs.list', {}), call('runs.bestMetrics', {})])
      runs.value = list
      bests.value = Object.fromEntries(best.map((b) => [b.runId, b.best]))
    })
  }

  /** Loads one run with its config, curves and messages (what the live run view shows). */
  async function loadRun(id: number): Promise<RunDetail | null> {
    return guarded(async () => {
      const [detail, log] = await Promise.all([call('runs.get', { id }), call('runs.messages', { id })])
      details.value[id] = detail
      messages.value[id] = log
      return detail
    })
  }

  function remember(run: RunSummary): void {
    const at = runs.value.findIndex((r) => r.id === run.id)
    if (at >= 0) runs.value[at] = run
    else runs.value.unshift(run)
    const detail = details.value[run.id]
    if (detail) Object.assign(detail, run)
  }

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

  // Another workspace: its runs are other runs.
  watch(
    () => useWorkspaceStore().workspace?.path,
    (path, before) => {
      if (path === before) return
      runs.value = []
      bests.value = {}
      details.value = {}
      live.value = {}
      messages.value = {}
    },
  )

  return { runs, bests, details, live, messages, error, pending, loadList, loadRun, start, stop, resume }
})
