import { labelChangesFor, type ChoiceImage, type LabelChange } from '@shared/contract'
import type { ClassKind, LabelClass, LabelValue } from '@shared/labels'

// Turning a run's probabilities into labels: an AU is present from 0.5 up; an emotion (or compound)
// is the one predicted most likely among those the coder could choose.

export const PRESENT_FROM = 0.5

/** The label a prediction stands for: 1 present, 0 absent. */
export const predictedValue = (p: number): LabelValue => (p >= PRESENT_FROM ? 1 : 0)

/** The most likely class of a kind among the predicted ones (null if the run predicted none). */
export function predictedChoice(
  classes: readonly LabelClass[],
  probabilities: Record<string, number>,
  kind: ClassKind,
): string | null {
  let best: string | null = null
  for (const c of classes)
    if (
      c.kind === kind &&
      probabilities[c.code] !== undefined &&
      (best === null || probabilities[c.code] > probabilities[best])
    )
      best = c.code
  return best
}

/** Applies changes to a copy of an image's known labels. */
function applied(image: ChoiceImage, changes: LabelChange[]): ChoiceImage {
  const labels: Record<string, LabelValue> = { ...image.labels }
  for (const c of changes) {
    if (c.value === null) delete labels[c.code]
    else labels[c.code] = c.value
  }
  return { ...image, labels }
}

/** The changes that accept one prediction: an AU by threshold, an emotion or compound as the choice. */
export function acceptOne(
  image: ChoiceImage,
  classes: readonly LabelClass[],
  probabilities: Record<string, number>,
  code: string,
): LabelChange[] {
  const kind = classes.find((c) => c.code === code)?.kind
  if (probabilities[code] === undefined) return []
  if (kind === 'au') return labelChangesFor(image, classes, code, predictedValue(probabilities[code]))
  const choice = kind ? predictedChoice(classes, probabilities, kind) : null
  return choice ? labelChangesFor(image, classes, choice, 1) : []
}

/**
 * The changes that accept every prediction of an image: each predicted AU, the predicted emotion,
 * and the predicted compound where the dataset codes compounds (a face need not show one otherwise).
 */
export function acceptAll(
  image: ChoiceImage,
  classes: readonly LabelClass[],
  probabilities: Record<string, number>,
): LabelChange[] {
  let working = image
  const steps: LabelChange[][] = []
  const take = (changes: LabelChange[]) => {
    steps.push(changes)
    working = applied(working, changes)
  }
  for (const c of classes)
    if (c.kind === 'au' && probabilities[c.code] !== undefined)
      take(labelChangesFor(working, classes, c.code, predictedValue(probabilities[c.code])))
  const emotion = predictedChoice(classes, probabilities, 'emotion')
  if (emotion) take(labelChangesFor(working, classes, emotion, 1))
  const codesCompounds = classes.some(
    (c) => c.kind === 'compound' && (image.labelSpace.includes(c.code) || image.labels[c.code] !== undefined),
  )
  const compound = codesCompounds ? predictedChoice(classes, probabilities, 'compound') : null
  if (compound) take(labelChangesFor(working, classes, compound, 1))
  // One change per class, measured against the labels before.
  const final = new Map<string, LabelValue | null>()
  for (const step of steps) for (const c of step) final.set(c.code, c.value)
  return [...final]
    .filter(([code, v]) => (image.labels[code] ?? null) !== v)
    .map(([code, value]) => ({ imageId: image.id, code, value }))
}
