import type { DatasetSummary, Split } from '@shared/contract'
import type { LabelClass } from '@shared/labels'
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { call } from '../api'
import { evaluationKey, type EvaluationsByRun } from '../composables/compare-table'
import { useRunsStore } from './runs'
import { useWorkspaceStore } from './workspace'

/** The runs chosen for comparison: their scores per dataset (Tables 1/2 layout) and their curves. */
export const useCompareStore = defineStore('compare', () => {
  /** Runs ticked in the table. */
  const selected = ref<number[]>([])
  /** Runs in the comparison shown (those ticked when Compare was pressed). */
  const compared = ref<number[]>([])
  const split = ref<Split>('test')
  const evaluations = ref<EvaluationsByRun>({})
  const datasets = ref<DatasetSummary[]>([])
  const classes = ref<LabelClass[]>([])
  const loading = ref(false)
  const error = ref<string | null>(null)

  /** Scores every chosen run on each of its datasets separately, and loads their curves. */
  async function compare(ids: number[] = selected.value): Promise<void> {
    const runs = useRunsStore()
    loading.value = true
    error.value = null
    compared.value = [...ids]
    try {
      if (!datasets.value.length)
        [datasets.value, classes.value] = await Promise.all([call('datasets.list', {}), call('classes.list', {})])
      const next: EvaluationsByRun = {}
      await Promise.all(
        ids.map(async (id) => {
          await runs.loadRun(id)
          const run = runs.runs.find((r) => r.id === id)
          if (!run?.hasPredictions) return
          // A dataset the run trained on may since have been removed (the demo made again): nothing to score there.
          for (const name of run.datasets.filter((n) => datasets.value.some((d) => d.name === n))) {
            next[evaluationKey(id, name)] = await call('runs.evaluate', { id, split: split.value, datasets: [name] })
          }
        }),
      )
      evaluations.value = next
    } catch (e) {
      error.value = (e as Error).message
    } finally {
      loading.value = false
    }
  }

  watch(split, () => compared.value.length && compare(compared.value))
  watch(
    () => useWorkspaceStore().workspace?.path,
    (path, before) => {
      if (path === before) return
      selected.value = []
      compared.value = []
      evaluations.value = {}
      datasets.value = []
    },
  )

  return { selected, compared, split, evaluations, datasets, classes, loading, error, compare }
})
