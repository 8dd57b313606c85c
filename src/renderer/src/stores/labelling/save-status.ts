import { ref } from 'vue'

/** The label view's status line: an edit on its way, saved, refused, or a hint. */
export interface SaveStatus {
  kind: 'idle' | 'saving' | 'saved' | 'error' | 'info'
  message: string
}

export function useSaveStatus() {
  const status = ref<SaveStatus>({ kind: 'idle', message: '' })
  /** Sets the status line; returns nothing, so that `return say(...)` ends an action. */
  const say = (kind: SaveStatus['kind'], message: string): void => void (status.value = { kind, message })
  return { status, say }
}

export type Say = ReturnType<typeof useSaveStatus>['say']
