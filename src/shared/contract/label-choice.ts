import type { ClassKind, LabelClass, LabelValue } from '../labels'
import type { LabelChange } from './catalogue'

// One emotion per image: a face shows one basic emotion and at most one compound emotion, unless its
// dataset is multi-label by nature (FER+ crowd votes). The label view and the label services in main
// apply this same rule, so every caller (UI, API, CLI, bulk edits, undo) ends with the same labels.
//
// Setting an emotion present marks the other emotions of the image absent: those of its dataset's
// label space and those already known on it (all emotions when the label space has none: a coder
// naming the emotion of an AU-only face names it among all). The same for compounds. One change
// that itself makes two emotions present is refused: it cannot say which one the coder meant.

/** What single-choice editing needs to know about an image. */
export interface ChoiceImage {
  id: number
  /** Its dataset's label space (class codes). */
  labelSpace: readonly string[]
  /** Known labels only. */
  labels: Readonly<Record<string, LabelValue>>
  /** The dataset allows several emotions (and compounds) present on one image. */
  multiLabel?: boolean
}

/** Classes whose labels are one choice per image: a face shows one basic emotion and at most one compound. */
export const isSingleChoice = (kind: ClassKind | undefined): boolean => kind === 'emotion' || kind === 'compound'

interface KindIndex {
  kindOf: Map<string, ClassKind>
  ofKind: Map<ClassKind, string[]>
}
const indexes = new WeakMap<readonly LabelClass[], KindIndex>()

function kindIndex(classes: readonly LabelClass[]): KindIndex {
  let index = indexes.get(classes)
  if (!index) {
    index = { kindOf: new Map(classes.map((c) => [c.code, c.kind])), ofKind: new Map() }
    for (const c of classes) index.ofKind.set(c.kind, [...(index.ofKind.get(c.kind) ?? []), c.code])
    indexes.set(classes, index)
  }
  return index
}

/** Two or more classes of one single-choice kind wanted present on one image. */
export interface ChoiceConflict {
  imageId: number
  kind: ClassKind
  codes: string[]
}

/**
 * Completes the values wanted on one image (code -> value, null = unknown) under the one-choice
 * rule: for each single-choice kind in which a class is wanted present, the other classes of that
 * kind in scope become absent, unless `wanted` sets them itself. Returns the completed values, or
 * the conflict when two classes of one kind are wanted present.
 */
export function completeChoice(
  image: ChoiceImage,
  classes: readonly LabelClass[],
  wanted: ReadonlyMap<string, LabelValue | null>,
): Map<string, LabelValue | null> | ChoiceConflict {
  const out = new Map(wanted)
  if (image.multiLabel) return out
  const { kindOf, ofKind } = kindIndex(classes)
  const chosen = new Map<ClassKind, string[]>()
  for (const [code, value] of wanted) {
    const kind = kindOf.get(code)
    if (value === 1 && kind && isSingleChoice(kind)) chosen.set(kind, [...(chosen.get(kind) ?? []), code])
  }
  for (const [kind, codes] of chosen) {
    if (codes.length > 1) return { imageId: image.id, kind, codes }
    const ofThisKind = ofKind.get(kind) ?? []
    const inSpace = ofThisKind.filter((c) => image.labelSpace.includes(c))
    const scope = inSpace.length ? [...inSpace, ...ofThisKind.filter((c) => image.labels[c] !== undefined)] : ofThisKind
    for (const other of scope) if (other !== codes[0] && !wanted.has(other)) out.set(other, 0)
  }
  return out
}

/** "happy and sad are both", "happy, sad and angry are all": the codes of a conflict in words. */
export const codesInWords = (codes: readonly string[]): string =>
  codes.length === 2
    ? `${codes[0]} and ${codes[1]} are both`
    : `${codes.slice(0, -1).join(', ')} and ${codes.at(-1)} are all`

export const isChoiceConflict = (x: Map<string, LabelValue | null> | ChoiceConflict): x is ChoiceConflict =>
  !(x instanceof Map)

/**
 * Kinds left with two classes present after `after` (the image's labels once a change is applied),
 * counting only kinds in which the change made a class present (`madePresent`): labels that were
 * already double before are not the change's doing.
 */
export function choiceConflicts(
  image: Pick<ChoiceImage, 'id' | 'multiLabel'>,
  classes: readonly LabelClass[],
  after: Readonly<Record<string, LabelValue>>,
  madePresent: Iterable<string>,
): ChoiceConflict[] {
  if (image.multiLabel) return []
  const { kindOf, ofKind } = kindIndex(classes)
  const kinds = new Set(
    [...madePresent].map((code) => kindOf.get(code)).filter((k): k is ClassKind => isSingleChoice(k)),
  )
  return [...kinds].flatMap((kind) => {
    const present = (ofKind.get(kind) ?? []).filter((c) => after[c] === 1)
    return present.length > 1 ? [{ imageId: image.id, kind, codes: present }] : []
  })
}

/** The label changes that set `code` to `value` on an image; changes that alter nothing are left out. */
export function labelChangesFor(
  image: ChoiceImage,
  classes: readonly LabelClass[],
  code: string,
  value: LabelValue | null,
): LabelChange[] {
  const wanted = completeChoice(image, classes, new Map([[code, value]]))
  if (isChoiceConflict(wanted)) return []
  return [...wanted]
    .filter(([c, v]) => (image.labels[c] ?? null) !== v)
    .map(([c, v]) => ({ imageId: image.id, code: c, value: v }))
}

/** The changes that make every label of one kind unknown on an image ("Emotion: unknown"). */
export function clearKindChanges(image: ChoiceImage, classes: readonly LabelClass[], kind: ClassKind): LabelChange[] {
  return classes
    .filter((c) => c.kind === kind && image.labels[c.code] !== undefined)
    .map((c) => ({ imageId: image.id, code: c.code, value: null }))
}
