import type { ImageDetail, ImagePredictions } from '@shared/contract'
import { shallowReactive } from 'vue'
import { call, mediaUrl } from '../../api'
import type { useBrowseStore } from '../browse'

/** How many images' labels and histories stay loaded (the walk back and forth stays instant). */
const KEPT = 60

// The images the label view has loaded: labels and history, and the chosen run's predictions,
// each fetched once, and the next image fetched ahead so that "next" shows at once.

export function useLoadedImages(browse: ReturnType<typeof useBrowseStore>) {
  const details = shallowReactive(new Map<number, ImageDetail>())
  const predictionsById = shallowReactive(new Map<number, ImagePredictions | null>())

  /** An image's labels, label space and history; `force` fetches it again (after an edit or undo). */
  async function loadDetail(id: number, force = false): Promise<void> {
    if (!force && details.has(id)) return
    const d = await call('images.get', { id })
    if (details.size > KEPT) details.delete(details.keys().next().value!)
    details.set(id, d)
  }

  /** The predictions of the run chosen in the catalogue (none when no run is chosen). */
  async function loadPredictions(id: number): Promise<void> {
    const runId = browse.filter.runId
    if (runId === undefined) return void predictionsById.set(id, null)
    if (predictionsById.has(id) && predictionsById.get(id)?.runId === runId) return
    predictionsById.set(id, await call('images.predictions', { imageId: id, runId }))
  }

  /** Loads the next image's labels and picture ahead, so that "next" shows at once. */
  async function prefetch(at: number): Promise<void> {
    const id = await browse.idAt(at).catch(() => null)
    if (id === null) return
    new Image().src = mediaUrl(id, 'full')
    await Promise.all([loadDetail(id), loadPredictions(id)]).catch(() => undefined)
  }

  function clear(): void {
    details.clear()
    predictionsById.clear()
  }

  return { details, predictionsById, loadDetail, loadPredictions, prefetch, clear }
}

export type LoadedImages = ReturnType<typeof useLoadedImages>
