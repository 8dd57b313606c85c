import { defineStore } from 'pinia'
import { useBrowseStore } from './browse'
import { useCatalogueStore } from './catalogue'
import { useEditHistoryStore } from './edit-history'
import { useAcceptingPredictions } from './labelling/accepting-predictions'
import { useImageWalk } from './labelling/image-walk'
import { useLabelChoices } from './labelling/label-choices'
import { useLoadedImages } from './labelling/loaded-images'
import { useOptimisticEdits } from './labelling/optimistic-edits'
import { useReviewAndNote } from './labelling/review-and-note'
import { useSaveStatus } from './labelling/save-status'
import { useUndoRedo } from './labelling/undo-redo'
import { onWorkspaceSwitch } from './workspace-switch'

// The label view: one image of the catalogue walk, its labels as saved plus the edits on their way
// (shown at once, taken back visibly if main refuses them), its run's predictions, next/previous.
// Each concern is its own composable in labelling/; this store wires them to one status line.

export const useLabelStore = defineStore('label', () => {
  const browse = useBrowseStore()
  const catalogue = useCatalogueStore()
  const history = useEditHistoryStore()
  const { status, say } = useSaveStatus()
  const images = useLoadedImages(browse)
  const walk = useImageWalk({ images, browse, catalogue, say })
  const edits = useOptimisticEdits({ imageId: walk.imageId, detail: walk.detail, images, browse, history, say })
  const choices = useLabelChoices({ image: edits.image, labels: edits.labels, catalogue, edit: edits.edit, say })
  const accepting = useAcceptingPredictions({
    image: edits.image,
    predictions: walk.predictions,
    catalogue,
    edit: edits.edit,
    say,
  })
  const review = useReviewAndNote({ detail: walk.detail, images, browse, history, say })
  const undoRedo = useUndoRedo({ walk, images, browse, history, say })

  /** Forgets what was loaded (another workspace, or a new run chosen). */
  function reset(): void {
    images.clear()
    walk.forget()
  }
  onWorkspaceSwitch(reset)

  /** An image changed outside the label edits (its face box): load its detail again. */
  const reload = (id: number): Promise<void> => images.loadDetail(id, true)

  const {
    imageId,
    index,
    detail,
    labelSpace,
    history: historyOfImage,
    reviewStatus,
    predictions,
    loadError,
    open,
    step,
  } = walk
  const { labels, intensities, image, pending, saving, reverted } = edits
  return {
    imageId,
    index,
    detail,
    labels,
    intensities,
    labelSpace,
    history: historyOfImage,
    reviewStatus,
    image,
    predictions,
    pending,
    saving,
    status,
    reverted,
    loadError,
    open,
    step,
    ...choices,
    ...accepting,
    ...review,
    ...undoRedo,
    reset,
    reload,
  }
})
