import { watch } from 'vue'
import { useWorkspaceStore } from './workspace'

/**
 * Calls `forget` in a store's setup when the open workspace is closed or another one is opened:
 * what the store loaded, selected or showed belongs to the old workspace. Opening the first
 * workspace forgets nothing unless `alsoWhenFirstOpened` (for stores that may hold a list from
 * before any workspace was open).
 */
export function onWorkspaceSwitch(forget: () => void, { alsoWhenFirstOpened = false } = {}): void {
  watch(
    () => useWorkspaceStore().workspace?.path,
    (path, before) => {
      if (path === before || (before === undefined && !alsoWhenFirstOpened)) return
      forget()
    },
  )
}
