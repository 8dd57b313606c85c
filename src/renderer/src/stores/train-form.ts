import type { DatasetSummary } from '@shared/contract'
import type { LabelClass } from '@shared/labels'
import { defaultRunConfig, RunConfigSchema, type RunConfig } from '@shared/run-config'
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { call } from '../api'
import { useWorkspaceStore } from './workspace'

/**
 * The Train form: every run setting, starting at the paper's defaults, checked by the same schema
 * main validates with. Kept in a store so that leaving the Train view keeps what was typed.
 */
export const useTrainFormStore = defineStore('trainForm', () => {
  const config = ref<RunConfig>(defaultRunConfig())
  /** Whether the run's length is given in steps or in epochs (passes over the training images). */
  const length = ref<'steps' | 'epochs'>('steps')
  const epochs = ref(10)
  const name = ref('')
  const datasets = ref<DatasetSummary[]>([])
  const classes = ref<LabelClass[]>([])
  const loadError = ref<string | null>(null)

  /** Loads the datasets (label spaces, counts) and classes the form describes. */
  async function load(): Promise<void> {
    try {
      const [d, c] = await Promise.all([call('datasets.list', {}), call('classes.list', {})])
      datasets.value = d
      classes.value = c
      // Datasets of another workspace do not exist here.
      config.value.datasets = config.value.datasets.filter((name) => d.some((x) => x.name === name))
      loadError.value = null
    } catch (e) {
      loadError.value = (e as Error).message
    }
  }

  /** What would be sent: fields that do not apply are left out. */
  const request = computed(() => {
    const c = config.value
    return {
      ...c,
      epochs: length.value === 'epochs' ? epochs.value : undefined,
      task: c.method === 'single' ? c.task : undefined,
      initFrom: c.initFrom || undefined,
      // An emptied number input gives '': no number means every core.
      threads: (c.threads as number | string | undefined) === '' ? undefined : c.threads,
    }
  })

  const parsed = computed(() => RunConfigSchema.safeParse(request.value))

  /** Problems by field path ("batchSize", "augmentation.pad"), in words. */
  const errors = computed<Record<string, string>>(() => {
    if (parsed.value.success) return {}
    const out: Record<string, string> = {}
    for (const issue of parsed.value.error.issues) {
      const field = issue.path.map(String).join('.') || 'config'
      out[field] ??= issue.message
    }
    return out
  })

  /** Back to the paper's set-up. */
  function reset(): void {
    config.value = defaultRunConfig()
    length.value = 'steps'
    epochs.value = 10
    name.value = ''
  }

  watch(
    () => useWorkspaceStore().workspace?.path,
    (path, before) => {
      if (path !== before) config.value.initFrom = undefined
    },
  )

  return { config, length, epochs, name, datasets, classes, loadError, parsed, errors, load, reset }
})
