import { clearKindChanges, labelChangesFor, type ChoiceImage, type LabelChange } from '@shared/contract'
import type { ClassKind, LabelValue } from '@shared/labels'
import type { ComputedRef } from 'vue'
import type { useCatalogueStore } from '../catalogue'

// What the coder says about one label of the shown image, turned into the changes to save (an
// emotion stays one choice: choosing one marks the others of the dataset absent).

interface ChoiceNeeds {
  image: ComputedRef<ChoiceImage | null>
  labels: ComputedRef<Record<string, LabelValue>>
  catalogue: ReturnType<typeof useCatalogueStore>
  edit: (changes: LabelChange[], label: string) => Promise<void>
}

const stateWord = (v: LabelValue | null) => (v === 1 ? 'present' : v === 0 ? 'absent' : 'unknown')

export function useLabelChoices({ image, labels, catalogue, edit }: ChoiceNeeds) {
  const className = (code: string) => catalogue.classByCode.get(code)?.name ?? code

  /** Sets one class present, absent or unknown (emotions stay single-choice). */
  function setLabel(code: string, value: LabelValue | null): Promise<void> {
    if (!image.value) return Promise.resolve()
    return edit(labelChangesFor(image.value, catalogue.classes, code, value), `${code} ${stateWord(value)}`)
  }

  /** An AU's key: unknown or absent -> present, present -> absent. */
  const cycleAu = (code: string) => setLabel(code, labels.value[code] === 1 ? 0 : 1)

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

  return { setLabel, cycleAu, choose }
}
