import type { AvailabilityMatrix, DatasetSummary } from '@shared/contract'
import type { LabelClass } from '@shared/labels'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call } from '../api'

/** Datasets, classes and label availability of the open workspace. */
export const useCatalogueStore = defineStore('catalogue', () => {
  const datasets = ref<DatasetSummary[]>([])
  const classes = ref<LabelClass[]>([])
  const availability = ref<AvailabilityMatrix | null>(null)
  const error = ref<string | null>(null)

  /** Reloads datasets, classes and the availability matrix. */
  async function load(): Promise<void> {
    try {
      ;[datasets.value, classes.value, availability.value] = await Promise.all([call('datasets.list', {}), call('classes.list', {}), call('labels.availability', {})])
      error.value = null
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  return { datasets, classes, availability, error, load }
})
