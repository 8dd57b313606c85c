import type { ExperimentDetail, ExperimentProtocolInput, ExperimentSummary } from '@shared/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, on } from '../api'
import { onWorkspaceSwitch } from './workspace-switch'

/**
 * The workspace's experiments (issue 16): the list, the one opened with its runs and results,
 * Start / Stop / Resume, kept live by the experiment events.
 */
export const useExperimentsStore = defineStore('experiments', () => {
  const experiments = ref<ExperimentSummary[]>([])
  const opened = ref<ExperimentDetail | null>(null)
  const error = ref<string | null>(null)
  const pending = ref(false)

  async function guarded<T>(work: () => Promise<T>): Promise<T | null> {
    error.value = null
    try {
      return await work()
    } catch (e) {
      error.value = (e as Error).message
      return null
    }
  }

  const loadList = () => guarded(async () => (experiments.value = await call('experiments.list', {})))

  async function open(id: number): Promise<void> {
    await guarded(async () => (opened.value = await call('experiments.get', { id })))
  }

  function remember(summary: ExperimentSummary): void {
    const at = experiments.value.findIndex((e) => e.id === summary.id)
    if (at >= 0) experiments.value[at] = summary
    else experiments.value.unshift(summary)
  }

  async function act(work: () => Promise<ExperimentSummary>): Promise<void> {
    pending.value = true
    const summary = await guarded(work)
    pending.value = false
    if (!summary) return
    remember(summary)
    await open(summary.id)
  }

  const start = (protocol: ExperimentProtocolInput) => act(() => call('experiments.start', { protocol }))
  const stop = (id: number) => act(() => call('experiments.stop', { id }))
  const resume = (id: number) => act(() => call('experiments.resume', { id }))

  // A run done, or the experiment's status changed: the list and the opened experiment follow.
  on('experiment.updated', ({ experiment }) => {
    remember(experiment)
    if (opened.value?.id === experiment.id) void open(experiment.id)
  })

  onWorkspaceSwitch(
    () => {
      experiments.value = []
      opened.value = null
    },
    { alsoWhenFirstOpened: true },
  )

  return { experiments, opened, error, pending, loadList, open, start, stop, resume }
})
