import { clearKindChanges, labelChangesFor, type ChoiceImage, type LabelChange } from '@shared/contract'
import type { ClassKind, LabelValue } from '@shared/labels'
import { intensityLetter, intensityOfLetter, type Intensity } from '@shared/intensity'
import { ref, watch, type ComputedRef } from 'vue'
import type { useCatalogueStore } from '../catalogue'
import type { Say } from './save-status'

// What the coder says about one label of the shown image, turned into the changes to save (an
// emotion stays one choice: choosing one marks the others of the dataset absent).

interface ChoiceNeeds {
  image: ComputedRef<ChoiceImage | null>
  labels: ComputedRef<Record<string, LabelValue>>
  catalogue: ReturnType<typeof useCatalogueStore>
  edit: (changes: LabelChange[], label: string) => Promise<void>
  say: Say
}

const stateWord = (v: LabelValue | null) => (v === 1 ? 'present' : v === 0 ? 'absent' : 'unknown')

export function useLabelChoices({ image, labels, catalogue, edit, say }: ChoiceNeeds) {
  const className = (code: string) => catalogue.classByCode.get(code)?.name ?? code

  /** The AU the coder last marked: the one the intensity keys (Alt+1-5) code. */
  const currentAu = ref<string | null>(null)
  // Another image: the intensity keys wait for an AU marked there.
  watch(
    () => image.value?.id,
    () => (currentAu.value = null),
  )

  /** Sets one class present, absent or unknown (emotions stay single-choice). */
  function setLabel(code: string, value: LabelValue | null): Promise<void> {
    if (!image.value) return Promise.resolve()
    if (catalogue.classByCode.get(code)?.kind === 'au') currentAu.value = code
    return edit(labelChangesFor(image.value, catalogue.classes, code, value), `${code} ${stateWord(value)}`)
  }

  /** An AU's key: unknown or absent -> present, present -> absent. */
  const cycleAu = (code: string) => setLabel(code, labels.value[code] === 1 ? 0 : 1)

  /** Marks an AU present at a FACS intensity (1-5 = A-E), or present without one (null). */
  function setIntensity(code: string, intensity: Intensity | null): Promise<void> {
    if (!image.value) return Promise.resolve()
    currentAu.value = code
    const change: LabelChange = { imageId: image.value.id, code, value: 1, intensity }
    return edit(
      [change],
      intensity === null ? `${code} present, intensity not coded` : `${code} at ${intensityLetter(intensity)}`,
    )
  }

  /** An intensity key (letter A-E, or 'none'): codes the AU last marked. */
  function intensityKey(letter: string): Promise<void> | void {
    if (!currentAu.value) return say('info', 'Mark an AU first (its key or a click), then Alt+1-5 for intensity A-E.')
    return setIntensity(currentAu.value, letter === 'none' ? null : (intensityOfLetter(letter) ?? null))
  }

  /** Chooses an emotion (or compound), or makes the whole kind unknown. */
  function choose(kind: ClassKind, code: string | null): Promise<void> {
    if (!image.value) return Promise.resolve()
    if (code === null)
      return edit(
        clearKindChanges(image.value, catalogue.classes, kind),
        `${kind === 'compound' ? 'compound emotion' : 'emotion'} unknown`,
      )
    return edit(
      labelChangesFor(image.value, catalogue.classes, code, 1),
      `${kind === 'compound' ? 'compound emotion' : 'emotion'} ${className(code).toLowerCase()}`,
    )
  }

  return { setLabel, cycleAu, choose, currentAu, setIntensity, intensityKey }
}
