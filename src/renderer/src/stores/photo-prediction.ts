import type { PhotoPrediction } from '@shared/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError, call, on, transportKind } from '../api'
import { useCatalogueStore } from './catalogue'

// "Predict photos..." for a run: a folder of study photos (picked in the desktop app's folder
// picker, typed as a path on the server in the browser) has its faces found and imported as a
// dataset, predicted with the run and exported as CSV, in one job (runs.predictPhotos) with its
// progress (the import's, then the run's predictions) and Stop.

export interface PhotoPredictionProgress {
  phase: 'finding' | 'predicting'
  done: number
  total: number | null
  file: string
}

export const usePhotoPredictionStore = defineStore('photo-prediction', () => {
  /** The run whose "Predict photos..." form is open. */
  const runId = ref<number | null>(null)
  const running = ref(false)
  const stopping = ref(false)
  const progress = ref<PhotoPredictionProgress | null>(null)
  const result = ref<PhotoPrediction | null>(null)
  const notice = ref<string | null>(null)
  const error = ref<string | null>(null)

  function open(id: number): void {
    if (running.value) return
    runId.value = id
    result.value = null
    notice.value = null
    error.value = null
  }

  /** The desktop app's folder picker; null when the user cancels it. */
  async function chooseFolder(): Promise<string | null> {
    error.value = null
    try {
      const chosen = await call('app.chooseFolder', { title: 'Folder of photos to predict' })
      return 'folder' in chosen ? chosen.folder : null
    } catch (e) {
      error.value = (e as Error).message
      return null
    }
  }

  /** Runs the whole job; the catalogue reloads, since the photos' dataset is new. */
  async function start(choice: { folder: string; name: string }): Promise<void> {
    if (runId.value === null) return
    running.value = true
    stopping.value = false
    result.value = null
    notice.value = null
    error.value = null
    progress.value = { phase: 'finding', done: 0, total: null, file: '' }
    try {
      result.value = await call('runs.predictPhotos', {
        id: runId.value,
        folder: choice.folder.trim(),
        name: choice.name.trim() || undefined,
      })
    } catch (e) {
      // A stop is what the user asked for: said as news, not as an error.
      if (e instanceof ApiError && e.details?.reason === 'stopped') notice.value = e.message
      else error.value = (e as Error).message
    } finally {
      running.value = false
      progress.value = null
      await useCatalogueStore()
        .load()
        .catch(() => undefined)
    }
  }

  async function stop(): Promise<void> {
    if (runId.value === null) return
    stopping.value = true
    try {
      await call('runs.stopPredictPhotos', { id: runId.value })
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  on('import.progress', (p) => {
    if (running.value && progress.value?.phase === 'finding')
      progress.value = { phase: 'finding', done: p.done, total: p.total, file: p.file }
  })
  on('run.predicting', (p) => {
    if (running.value && p.runId === runId.value)
      progress.value = { phase: 'predicting', done: p.done, total: p.total, file: '' }
  })

  const desktop = (): boolean => transportKind() === 'electron'

  return { runId, running, stopping, progress, result, notice, error, open, chooseFolder, start, stop, desktop }
})
