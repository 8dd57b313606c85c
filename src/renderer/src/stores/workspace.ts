import type { AppInfo } from '@shared/contract'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { call, on } from '../api'

/** The app and its open workspace: what every section needs before it can show anything. */
export const useWorkspaceStore = defineStore('workspace', () => {
  const info = ref<AppInfo | null>(null)
  const busy = ref(false)
  const error = ref<string | null>(null)
  const workspace = computed(() => info.value?.workspace ?? null)
  /** Progress of "Create demo workspace": drawing faces, then importing them. */
  const demoProgress = ref<{ phase: string; done: number; total: number } | null>(null)

  /** Loads version, backends and the open workspace. */
  async function refresh(): Promise<void> {
    try {
      info.value = await call('app.info', {})
      error.value = null
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    busy.value = true
    error.value = null
    try {
      await action()
      await refresh()
      return true
    } catch (e) {
      error.value = (e as Error).message
      return false
    } finally {
      busy.value = false
    }
  }

  /** Creates a workspace folder and opens it. */
  const create = (path: string) => run(() => call('workspace.create', { path }))
  /** Opens an existing workspace folder. */
  const open = (path: string) => run(() => call('workspace.open', { path }))
  /** Creates (or refreshes) the demo workspace: generated faces imported like any dataset. */
  async function createDemo(path?: string, size: 'small' | 'medium' | 'large' = 'medium'): Promise<boolean> {
    demoProgress.value = { phase: 'drawing', done: 0, total: 1 }
    try {
      return await run(() => call('demo.create', { path: path || undefined, size }))
    } finally {
      demoProgress.value = null
    }
  }
  /** Closes the workspace, back to the chooser. */
  const close = () => run(() => call('workspace.close', {}))
  /** Remembers the annotator's name for label edits. */
  const setAnnotator = (annotator: string) => run(() => call('app.setAnnotator', { annotator }))

  on('demo.progress', (p) => {
    if (demoProgress.value) demoProgress.value = p
  })
  on('workspace.changed', (payload) => {
    if (info.value) info.value = { ...info.value, workspace: payload.workspace }
  })

  return { info, workspace, busy, error, demoProgress, refresh, create, open, close, createDemo, setAnnotator }
})
