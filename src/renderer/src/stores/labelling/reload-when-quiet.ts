import type { Ref } from 'vue'
import { on } from '../../api'
import type { useEditHistoryStore } from '../edit-history'
import type { LoadedImages } from './loaded-images'

interface ReloadNeeds {
  imageId: Ref<number | null>
  pending: Ref<{ imageId: number }[]>
  images: LoadedImages
  history: ReturnType<typeof useEditHistoryStore>
}

/**
 * Fetches an image again once this window's edit queue is quiet: its history then holds the new
 * edits. Also when main says the shown image's labels changed (here, in another window, from the
 * CLI) and this window has no edit of its own on the way.
 */
export function useReloadWhenQuiet({ imageId, pending, images, history }: ReloadNeeds): (id: number) => void {
  let reloadTimer: ReturnType<typeof setTimeout> | undefined
  function reloadSoon(id: number): void {
    clearTimeout(reloadTimer)
    reloadTimer = setTimeout(() => {
      if (history.inFlight > 0 || pending.value.some((p) => p.imageId === id)) return reloadSoon(id)
      images.loadDetail(id, true).catch(() => undefined)
    }, 300)
  }

  on('labels.changed', ({ imageIds }) => {
    const id = imageId.value
    if (id !== null && imageIds.includes(id) && !pending.value.length && history.inFlight === 0) reloadSoon(id)
  })

  return reloadSoon
}
