import type { ImageDetail, ReviewStatus } from '@shared/contract'
import type { ComputedRef } from 'vue'
import { call } from '../../api'
import type { useBrowseStore } from '../browse'
import type { useEditHistoryStore } from '../edit-history'
import type { LoadedImages } from './loaded-images'
import type { Say } from './save-status'

interface ReviewNeeds {
  detail: ComputedRef<ImageDetail | null>
  images: LoadedImages
  browse: ReturnType<typeof useBrowseStore>
  history: ReturnType<typeof useEditHistoryStore>
  say: Say
}

/** Review status and note of the shown image: shown at once, put back if main refuses them. */
export function useReviewAndNote({ detail, images, browse, history, say }: ReviewNeeds) {
  const words = (s: ReviewStatus) => s.replace('_', ' ')

  /** Review status (and note) of the shown image; not a label edit, so not in the undo chain. */
  async function setReview(reviewStatus: ReviewStatus, note?: string): Promise<void> {
    const d = detail.value
    if (!d) return
    images.details.set(d.id, { ...d, reviewStatus, note: note ?? d.note })
    say('saving', note === undefined ? `Saving: ${words(reviewStatus)}…` : 'Saving the note…')
    try {
      await history.enqueue(() =>
        call('images.setReview', { imageIds: [d.id], status: reviewStatus, ...(note === undefined ? {} : { note }) }),
      )
      browse.patchReview([d.id], reviewStatus)
      say('saved', note === undefined ? `Saved: ${words(reviewStatus)}` : 'Saved: note')
    } catch (e) {
      const now = images.details.get(d.id)
      if (now) images.details.set(d.id, { ...now, reviewStatus: d.reviewStatus, note: d.note })
      say('error', `Not saved: ${(e as Error).message} The review status is back to ${words(d.reviewStatus)}.`)
    }
  }

  return { setReview }
}
