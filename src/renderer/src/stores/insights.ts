import type { CellImages, Fig2Score, HeatmapCell, RunEvaluation, Split, TruthByEmotion } from '@shared/contract'
import type { LabelClass } from '@shared/labels'
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { call } from '../api'
import { useWorkspaceStore } from './workspace'

const PAGE = 24

/** One run looked at closely: its evaluation on a split, Fig. 2 against the truth, and the images behind a chosen cell. */
export const useInsightsStore = defineStore('insights', () => {
  const runId = ref<number | null>(null)
  const split = ref<Split>('test')
  const evaluation = ref<RunEvaluation | null>(null)
  const truth = ref<TruthByEmotion | null>(null)
  const fig2 = ref<Fig2Score | null>(null)
  const classes = ref<LabelClass[]>([])
  /** The cell whose images are listed, with its title in words. */
  const cell = ref<{ cell: HeatmapCell; title: string } | null>(null)
  const images = ref<CellImages | null>(null)
  const loading = ref(false)
  const loadingImages = ref(false)
  const error = ref<string | null>(null)

  /** Scores the run on the split and loads the truth matrix (demo data). */
  async function load(id: number, on: Split = split.value): Promise<void> {
    runId.value = id
    split.value = on
    loading.value = true
    cell.value = null
    images.value = null
    try {
      if (!classes.value.length) classes.value = await call('classes.list', {})
      const [e, t, f] = await Promise.all([
        call('runs.evaluate', { id, split: on }),
        call('insights.truthByEmotion', { runId: id, split: on }),
        call('insights.fig2Score', { runId: id, split: on }),
      ])
      evaluation.value = e
      truth.value = t
      fig2.value = f
      error.value = null
    } catch (e) {
      evaluation.value = null
      truth.value = null
      fig2.value = null
      error.value = (e as Error).message
    } finally {
      loading.value = false
    }
  }

  /** Lists the images behind a cell, most telling first. */
  async function openCell(target: HeatmapCell, title: string): Promise<void> {
    if (runId.value === null) return
    cell.value = { cell: target, title }
    images.value = null
    await page(0)
  }

  /** The next page of the open cell's images. */
  const more = () => page(images.value?.images.length ?? 0)

  async function page(offset: number): Promise<void> {
    if (runId.value === null || !cell.value) return
    loadingImages.value = true
    try {
      const next = await call('insights.cellImages', {
        runId: runId.value,
        split: split.value,
        cell: cell.value.cell,
        offset,
        limit: PAGE,
      })
      images.value = offset && images.value ? { ...next, images: [...images.value.images, ...next.images] } : next
      error.value = null
    } catch (e) {
      error.value = (e as Error).message
    } finally {
      loadingImages.value = false
    }
  }

  watch(
    () => useWorkspaceStore().workspace?.path,
    (path, before) => {
      if (path === before) return
      runId.value = null
      evaluation.value = null
      truth.value = null
      fig2.value = null
      cell.value = null
      images.value = null
      classes.value = []
    },
  )

  return {
    runId,
    split,
    evaluation,
    truth,
    fig2,
    classes,
    cell,
    images,
    loading,
    loadingImages,
    error,
    load,
    openCell,
    more,
  }
})
