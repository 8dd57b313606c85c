import { call } from '../../api'
import type { useBrowseStore } from '../browse'
import type { RecordedEdit, useEditHistoryStore } from '../edit-history'
import type { ImageWalk } from './image-walk'
import type { LoadedImages } from './loaded-images'
import type { Say } from './save-status'

interface UndoNeeds {
  walk: Pick<ImageWalk, 'imageId' | 'open'>
  images: LoadedImages
  browse: ReturnType<typeof useBrowseStore>
  history: ReturnType<typeof useEditHistoryStore>
  say: Say
}

// Undo and redo from the label view: this window's edits across images (the edit history store
// keeps the chain), and one edit of the shown image's history undone on that image only.

export function useUndoRedo({ walk, images, browse, history, say }: UndoNeeds) {
  /** After an undo or redo: show the image it changed, with its labels as main has them now. */
  async function showHistoryStep(edit: RecordedEdit | null, verb: string): Promise<void> {
    if (!edit) return say('info', `Nothing to ${verb.toLowerCase()}.`)
    for (const id of edit.imageIds) images.details.delete(id)
    const target = edit.imageIds.length === 1 ? edit.imageIds[0] : walk.imageId.value
    if (target !== null) await (target === walk.imageId.value ? images.loadDetail(target, true) : walk.open(target))
    for (const id of edit.imageIds) if (images.details.has(id)) browse.patchLabels(id, images.details.get(id)!.labels)
    say('saved', `${verb}: ${edit.label}${edit.imageIds.length > 1 ? ` on ${edit.imageIds.length} images` : ''}`)
  }

  /** Undoes this window's latest edit, on whichever image it was. */
  const undo = () =>
    history.undo().then(
      (e) => showHistoryStep(e, 'Undone'),
      (e: Error) => say('error', `Could not undo: ${e.message}`),
    )
  /** Redoes the latest undone edit. */
  const redo = () =>
    history.redo().then(
      (e) => showHistoryStep(e, 'Redone'),
      (e: Error) => say('error', `Could not redo: ${e.message}`),
    )

  /** Undoes one edit of the shown image's history on this image only. */
  async function revert(editId: number): Promise<void> {
    const id = walk.imageId.value
    if (id === null || !(await history.ensureAnnotator())) return
    try {
      const result = await history.enqueue(() => call('labels.revert', { editId, imageId: id }))
      if (result.editId !== null)
        history.record({ editId: result.editId, imageIds: [id], label: `undo of edit ${editId}` })
      await images.loadDetail(id, true)
      browse.patchLabels(id, images.details.get(id)!.labels)
      say('saved', `Undone: edit ${editId} on this image`)
    } catch (e) {
      say('error', `Could not undo edit ${editId}: ${(e as Error).message}`)
    }
  }

  return { undo, redo, revert }
}
