import type { AvailabilityMatrix, DatasetSummary, RunSummary } from '@shared/contract'
import type { LabelClass } from '@shared/labels'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { call } from '../api'
import { onWorkspaceSwitch } from './workspace-switch'

/** Datasets, classes, label availability and the runs with predictions of the open workspace. */
export const useCatalogueStore = defineStore('catalogue', () => {
  const datasets = ref<DatasetSummary[]>([])
  const classes = ref<LabelClass[]>([])
  const availability = ref<AvailabilityMatrix | null>(null)
  /** Runs that have predictions, newest first. */
  const predictedRuns = ref<RunSummary[]>([])
  const error = ref<string | null>(null)
  const loaded = ref(false)
  const classByCode = computed(() => new Map(classes.value.map((c) => [c.code, c])))

  /** Reloads datasets, classes, the availability matrix and the runs with predictions. */
  async function load(): Promise<void> {
    try {
      const [d, c, a, runs] = await Promise.all([
        call('datasets.list', {}),
        call('classes.list', {}),
        call('labels.availability', {}),
        call('runs.list', {}),
      ])
      datasets.value = d
      classes.value = c
      availability.value = a
      predictedRuns.value = runs.filter((r) => r.hasPredictions)
      error.value = null
      loaded.value = true
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  /** Recounts present / absent / unknown after edits. */
  async function refreshAvailability(): Promise<void> {
    try {
      availability.value = await call('labels.availability', {})
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  /** Loads once per workspace; later calls return at once. */
  const ensureLoaded = () => (loaded.value ? Promise.resolve() : load())

  // Another workspace (or none): what was loaded belongs to the old one. The browse, selection
  // and label stores forget theirs in the same way, each in its own setup.
  onWorkspaceSwitch(() => {
    loaded.value = false
    datasets.value = []
    availability.value = null
    predictedRuns.value = []
  })

  return {
    datasets,
    classes,
    classByCode,
    availability,
    predictedRuns,
    error,
    loaded,
    load,
    ensureLoaded,
    refreshAvailability,
  }
})
