import type { FaceMode, ImportFormat, ImportReport } from '@shared/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, on } from '../api'
import { useCatalogueStore } from './catalogue'

/** What the import form asks: where the dataset is, its format and name, and how to find its faces. */
export interface ImportChoice {
  format: ImportFormat
  path: string
  name: string
  faces: FaceMode
}

/** Importing a dataset from the UI: the formats, one import at a time with its progress, Stop and report. */
export const useImportStore = defineStore('importing', () => {
  const formats = ref<{ format: ImportFormat; describe: string }[]>([])
  const running = ref(false)
  const stopping = ref(false)
  const progress = ref<{ done: number; total: number | null; file: string } | null>(null)
  const report = ref<ImportReport | null>(null)
  const error = ref<string | null>(null)

  async function loadFormats(): Promise<void> {
    if (formats.value.length) return
    try {
      formats.value = await call('import.formats', {})
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  /** Runs the import; the catalogue reloads when it added something. */
  async function start(choice: ImportChoice): Promise<void> {
    running.value = true
    stopping.value = false
    error.value = null
    report.value = null
    progress.value = { done: 0, total: null, file: '' }
    try {
      report.value = await call('import.run', {
        format: choice.format,
        path: choice.path,
        name: choice.name.trim() || undefined,
        faces: choice.faces,
      })
      await useCatalogueStore().load()
    } catch (e) {
      error.value = (e as Error).message
    } finally {
      running.value = false
      progress.value = null
    }
  }

  async function stop(): Promise<void> {
    stopping.value = true
    try {
      await call('import.stop', {})
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  on('import.progress', (p) => {
    if (running.value) progress.value = { done: p.done, total: p.total, file: p.file }
  })

  return { formats, running, stopping, progress, report, error, loadFormats, start, stop }
})
