import type { Database } from 'better-sqlite3'
import type { EditResult, LabelChange } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { prepared } from '../db/statements'
import type { ImageRow } from '../catalogue/catalogue-rows'
import { ChoiceRules, choiceError } from './choice-rules'
import { EDIT_CHUNK, fieldOf, type EditMeta, type Resolved } from './edit-apply'
import { editSteps } from './edit-writer'
import { runPaced, type Steps } from '../db/paced'

// labels.edit (undo, redo and revert: undo-redo.ts). Everything a caller sent is checked before anything is written
// (codes, image ids, two emotions chosen at once on one image), in steps so that a million-change
// edit never holds the server for long; then the edit is written (edit-writer.ts).

/** Changes checked per step while validating. */
const CHECK_STEP = 5_000

/** The dataset of each image id, or an error naming the first change whose image does not exist. */
function* datasetsOf(db: Database, changes: LabelChange[]): Steps<Map<number, number>> {
  const out = new Map<number, number>()
  const lookup = prepared<Pick<ImageRow, 'id' | 'dataset_id'>>(
    db,
    'SELECT id, dataset_id FROM images WHERE id IN (SELECT value FROM json_each(?))',
  )
  for (let start = 0; start < changes.length; start += CHECK_STEP) {
    const step = changes.slice(start, start + CHECK_STEP)
    const ids = [...new Set(step.map((c) => c.imageId))].filter((id) => !out.has(id))
    for (const r of lookup.all(JSON.stringify(ids))) out.set(r.id, r.dataset_id)
    const missing = step.findIndex((c) => !out.has(c.imageId))
    if (missing >= 0) {
      const n = start + missing
      throw new WorkbenchError('not_found', `No image with id ${changes[n].imageId} (changes[${n}].imageId).`, {
        field: `changes[${n}].imageId`,
        id: changes[n].imageId,
      })
    }
    if (start + CHECK_STEP < changes.length) yield
  }
  return out
}

/** Refuses, before writing, one edit that sets two emotions (or two compounds) present on one image. */
function* refuseDoubleChoices(
  rules: ChoiceRules,
  byImage: Map<number, Resolved[]>,
  datasets: Map<number, number>,
): Steps<void> {
  let n = 0
  for (const [imageId, changes] of byImage) {
    if (++n % CHECK_STEP === 0) yield
    const datasetId = datasets.get(imageId)!
    if (rules.image(imageId, datasetId, {}).multiLabel) continue
    const present = [...new Map(changes.map((c) => [c.classId, c])).values()].filter((c) => c.value === 1)
    for (const kind of ['emotion', 'compound'] as const) {
      const chosen = present.filter((c) => rules.kindOf(c.classId) === kind)
      if (chosen.length > 1)
        throw choiceError(
          { imageId, kind, codes: chosen.map((c) => rules.classes.code(c.classId)) },
          rules.datasetName(datasetId),
          { kind: 'edit', fields: chosen.flatMap((c) => fieldOf(c) ?? []) },
        )
    }
  }
}

function* editLabelSteps(db: Database, changes: LabelChange[], who: string, reason: string): Steps<EditResult> {
  const rules = new ChoiceRules(db)
  const datasets = yield* datasetsOf(db, changes)
  // Grouped by image (in order of first appearance): an image's changes are written together.
  const byImage = new Map<number, Resolved[]>()
  const { classes } = rules
  for (let n = 0; n < changes.length; n++) {
    const c = changes[n]
    const classId = classes.has(c.code) ? classes.id(c.code) : classes.id(c.code, `changes[${n}].code`)
    const resolved: Resolved = {
      imageId: c.imageId,
      classId,
      value: c.value,
      intensity: c.value === null ? null : (c.intensity ?? null),
      index: n,
    }
    const list = byImage.get(c.imageId)
    if (list) list.push(resolved)
    else byImage.set(c.imageId, [resolved])
    if (n % CHECK_STEP === CHECK_STEP - 1) yield
  }
  yield* refuseDoubleChoices(rules, byImage, datasets)
  const meta: EditMeta = { who, reason, undoes: null, mode: 'choose', what: 'This edit' }
  return yield* editSteps(db, meta, batchesOf(byImage.values()))
}

/** Whole images' changes, about EDIT_CHUNK at a time. */
function* batchesOf(groups: Iterable<Resolved[]>): Generator<Resolved[], void, void> {
  let batch: Resolved[] = []
  for (const group of groups) {
    batch.push(...group)
    if (batch.length >= EDIT_CHUNK) {
      yield batch
      batch = []
    }
  }
  if (batch.length) yield batch
}

/**
 * Checks and applies label changes as one edit (one undo), logged per label. Setting an emotion
 * present marks the image's other emotions absent (the one-emotion rule, shared/contract/label-choice.ts);
 * two emotions set present on one image in one edit are refused with the image and codes named.
 */
export function editLabels(db: Database, changes: LabelChange[], who: string, reason: string): Promise<EditResult> {
  return runPaced(editLabelSteps(db, changes, who, reason))
}
