import type { DatasetSummary, ExportKind, ExportRequest, ExportResult } from '@shared/contract'
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { call, on, transportKind } from '../api'
import { startDownload } from '../api/downloads'
import { useWorkspaceStore } from './workspace'

/** The datasets an export can be limited to; a refusal is said in words, not hidden as an empty list. */
function useDatasetsToExport() {
  const datasets = ref<DatasetSummary[]>([])
  const datasetsError = ref<string | null>(null)

  /** Lists the datasets to choose from; if main refuses, says so (an export then covers every dataset). */
  async function loadDatasets(): Promise<void> {
    try {
      datasets.value = await call('datasets.list', {})
      datasetsError.value = null
    } catch (e) {
      datasets.value = []
      datasetsError.value = `Could not list the datasets: ${(e as Error).message} Until they are listed, an export covers every dataset.`
    }
  }

  return { datasets, datasetsError, loadDatasets }
}

/**
 * CSV exports. The desktop app asks where to save (a save dialog in main) and writes there; in the
 * browser (headless mode) main writes into the workspace and the browser downloads the file.
 */
export const useExportsStore = defineStore('exports', () => {
  const busy = ref<ExportKind | null>(null)
  const progress = ref<{ done: number; total: number | null } | null>(null)
  const last = ref<ExportResult | null>(null)
  const earlier = ref<ExportResult[]>([])
  const error = ref<string | null>(null)
  const notice = ref<string | null>(null)
  const scope = useDatasetsToExport()

  /** The exports kept in the workspace (the browser can download them again). */
  async function loadEarlier(): Promise<void> {
    try {
      earlier.value = await call('exports.list', {})
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  /** Writes one export; saves it where the user chooses (desktop) or downloads it (browser). */
  async function create(request: Omit<ExportRequest, 'saveAs'>): Promise<ExportResult | null> {
    const desktop = transportKind() === 'electron'
    busy.value = request.kind
    progress.value = { done: 0, total: null }
    error.value = null
    notice.value = null
    try {
      const result = await call('exports.create', { ...request, saveAs: desktop })
      if ('cancelled' in result) {
        notice.value = 'Export cancelled: no file was chosen.'
        progress.value = null
        return null
      }
      last.value = result
      progress.value = { done: result.rows, total: result.rows }
      if (!desktop) {
        startDownload(result.id)
        await loadEarlier()
      }
      return result
    } catch (e) {
      error.value = (e as Error).message
      progress.value = null
      return null
    } finally {
      busy.value = null
    }
  }

  on('export.progress', (p) => {
    if (busy.value === p.kind) progress.value = { done: p.done, total: p.total }
  })
  watch(
    () => useWorkspaceStore().workspace?.path,
    (path, before) => {
      if (path === before) return
      last.value = null
      earlier.value = []
      scope.datasets.value = []
    },
  )

  return {
    busy,
    progress,
    last,
    earlier,
    error,
    notice,
    datasets: scope.datasets,
    datasetsError: scope.datasetsError,
    loadEarlier,
    loadDatasets: scope.loadDatasets,
    create,
  }
})
