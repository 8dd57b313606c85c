import type { ChoiceImage, ImagePredictions, LabelChange } from '@shared/contract'
import type { ComputedRef } from 'vue'
import { acceptAll, acceptOne } from '../../composables/accept-predictions'
import type { useCatalogueStore } from '../catalogue'
import type { Say } from './save-status'

// Taking a run's word for a label of the shown image: one class, or every prediction in one edit.
// The edit's reason names the run, so the history says where the label came from.

interface AcceptNeeds {
  image: ComputedRef<ChoiceImage | null>
  predictions: ComputedRef<ImagePredictions | null>
  catalogue: ReturnType<typeof useCatalogueStore>
  edit: (changes: LabelChange[], label: string, reason: string) => Promise<void>
  say: Say
}

export function useAcceptingPredictions({ image, predictions, catalogue, edit, say }: AcceptNeeds) {
  const acceptReason = () => `accepted prediction of run ${predictions.value?.runId} (${predictions.value?.runName})`

  /** Accepts the prediction for one class (an emotion or compound accepts the most likely of its kind). */
  function acceptPrediction(code: string): Promise<void> {
    if (!image.value || !predictions.value) return Promise.resolve()
    const changes = acceptOne(image.value, catalogue.classes, predictions.value.probabilities, code)
    return edit(changes, `prediction for ${code} accepted`, acceptReason())
  }

  /** Accepts every prediction of the image in one edit. */
  function acceptAllPredictions(): Promise<void> {
    if (!image.value) return Promise.resolve()
    if (!predictions.value) return Promise.resolve(say('info', 'No run has predictions for this image.'))
    return edit(
      acceptAll(image.value, catalogue.classes, predictions.value.probabilities),
      'all predictions accepted',
      acceptReason(),
    )
  }

  return { acceptPrediction, acceptAllPredictions }
}
