import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call } from '../api'
import { useWorkspaceStore } from './workspace'

// Every label write of this window goes through one queue, so main applies them in the order the
// coder made them; undo and redo walk this window's own edits, across images.

export interface RecordedEdit {
  editId: number
  imageIds: number[]
  /** What the edit did, in words ("AU12 present"). */
  label: string
}

export interface UndoneEdit extends RecordedEdit {
  /** The undo's own edit id: redo reverts it. */
  undoEditId: number
}

export const useEditHistoryStore = defineStore('editHistory', () => {
  const undoStack = ref<RecordedEdit[]>([])
  const redoStack = ref<UndoneEdit[]>([])
  /** Calls waiting or running in the queue. */
  const inFlight = ref(0)
  const askingName = ref(false)
  let tail: Promise<unknown> = Promise.resolve()
  let nameGiven: ((ok: boolean) => void) | null = null

  /** Runs a write after the ones before it; its result or error goes to the caller only. */
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    inFlight.value++
    const run = tail.then(task, task)
    tail = run.catch(() => undefined)
    return run.finally(() => inFlight.value--)
  }

  /** Resolves true once the annotator's name is known, asking for it once (false if the coder cancels). */
  function ensureAnnotator(): Promise<boolean> {
    const workspace = useWorkspaceStore()
    if (workspace.info?.annotator) return Promise.resolve(true)
    askingName.value = true
    return new Promise((resolve) => {
      const previous = nameGiven
      nameGiven = (ok) => {
        previous?.(ok)
        resolve(ok)
      }
    })
  }

  /** The name dialog's answer. */
  async function giveName(name: string | null): Promise<string | null> {
    if (name !== null) {
      const workspace = useWorkspaceStore()
      const ok = await workspace.setAnnotator(name)
      if (!ok) return workspace.error ?? 'The name was not saved.'
    }
    askingName.value = false
    nameGiven?.(name !== null)
    nameGiven = null
    return null
  }

  /** Remembers a saved edit for undo; a new edit ends the redo chain. */
  function record(edit: RecordedEdit): void {
    undoStack.value = [...undoStack.value.slice(-499), edit]
    redoStack.value = []
  }

  /** Undoes this window's latest edit; returns it (null when there is none or it changed nothing). */
  async function undo(): Promise<RecordedEdit | null> {
    const edit = undoStack.value.at(-1)
    if (!edit) return null
    undoStack.value = undoStack.value.slice(0, -1)
    try {
      const result = await enqueue(() => call('labels.undo', { editId: edit.editId }))
      if (result.editId !== null) redoStack.value = [...redoStack.value, { ...edit, undoEditId: result.editId }]
      return edit
    } catch (e) {
      undoStack.value = [...undoStack.value, edit]
      throw e
    }
  }

  /** Redoes the latest undone edit; returns it. */
  async function redo(): Promise<RecordedEdit | null> {
    const undone = redoStack.value.at(-1)
    if (!undone) return null
    redoStack.value = redoStack.value.slice(0, -1)
    try {
      const result = await enqueue(() => call('labels.redo', { editId: undone.undoEditId }))
      const edit = { editId: result.editId ?? undone.editId, imageIds: undone.imageIds, label: undone.label }
      if (result.editId !== null) undoStack.value = [...undoStack.value, edit]
      return edit
    } catch (e) {
      redoStack.value = [...redoStack.value, undone]
      throw e
    }
  }

  return { undoStack, redoStack, inFlight, askingName, enqueue, ensureAnnotator, giveName, record, undo, redo }
})
