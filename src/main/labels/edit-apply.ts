import type { Database } from 'better-sqlite3'
import { choiceConflicts, completeChoice, isChoiceConflict } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { LabelValue } from '../../shared/labels'
import { prepared, scalar } from '../db/statements'
import { loggedChangeOf, type LabelEventRow, type LabelRow, type LoggedChange } from './label-rows'
import { choiceError, type ChoiceRules } from './choice-rules'

// One batch of an edit, inside one transaction: the current labels of its images are read, the
// one-emotion rule applied, and every real change written and logged under the edit's id.

/** A label change with ids resolved. `index`: its place in the caller's `changes`, for messages. */
export interface Resolved {
  imageId: number
  classId: number
  value: LabelValue | null
  intensity: number | null
  index?: number
}

/** Where a change came from in the request, e.g. "changes[3]". */
export const fieldOf = (c: Resolved): string | undefined => (c.index === undefined ? undefined : `changes[${c.index}]`)

export interface EditMeta {
  who: string
  reason: string
  /** The edit this one reverts (undo, redo), or null. */
  undoes: number | null
  /**
   * choose: a new decision, completed by the one-emotion rule (choosing happy marks sad absent).
   * restore: values an undo, redo or revert puts back as they were, checked but never completed.
   */
  mode: 'choose' | 'restore'
  /** For messages about a restore: "Undoing edit 7". */
  what: string
}

/** Label changes per batch (one transaction each): about 10 ms of writing, 100 ms at worst on a busy machine. */
export const EDIT_CHUNK = 200

/** Edits being written in chunks by this process (see recoverInterruptedEdits). */
export const editsInProgress = new Set<string>()
export const liveEditKey = (db: Database, editId: number): string => `${db.name}#${editId}`

/** The statements that set, clear and log a label (labels: no row = unknown; label_events: append-only). */
export function labelWrites(db: Database) {
  return {
    upsert: prepared(
      db,
      `INSERT INTO labels (image_id, class_id, value, intensity, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (image_id, class_id) DO UPDATE SET value = excluded.value, intensity = excluded.intensity, soft = NULL, set_by = excluded.set_by, set_at = excluded.set_at`,
    ),
    remove: prepared(db, 'DELETE FROM labels WHERE image_id = ? AND class_id = ?'),
    log: prepared(
      db,
      `INSERT INTO label_events (edit_id, image_id, class_id, old_value, new_value, old_intensity, new_intensity, who, at, reason, undoes)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  }
}

/** An edit's events (on one image, or all), newest first, read a page at a time. */
export function* eventsNewestFirst(
  db: Database,
  editId: number,
  imageId?: number,
): Generator<LoggedChange, void, void> {
  const page = prepared<
    Pick<
      LabelEventRow,
      'id' | 'image_id' | 'class_id' | 'old_value' | 'new_value' | 'old_intensity' | 'new_intensity' | 'who'
    >
  >(
    db,
    `SELECT id, image_id, class_id, old_value, new_value, old_intensity, new_intensity, who
    FROM label_events WHERE edit_id = ? AND id < ? AND (? IS NULL OR image_id = ?) ORDER BY id DESC LIMIT 5000`,
  )
  for (let before = Number.MAX_SAFE_INTEGER; ;) {
    const rows = page.all(editId, before, imageId ?? null, imageId ?? null).map(loggedChangeOf)
    if (!rows.length) return
    yield* rows
    before = rows[rows.length - 1].id
  }
}

type Current = Pick<LabelRow, 'value' | 'intensity'>

/** The next free edit id, counting edits still being written in chunks. */
export const nextEditId = (db: Database): number =>
  scalar<number>(
    db,
    `SELECT max(coalesce((SELECT max(edit_id) FROM label_events), 0), coalesce((SELECT max(edit_id) FROM label_edits_in_progress), 0)) + 1`,
  )

function currentLabels(db: Database, imageIds: number[]): Map<number, Map<number, Current>> {
  const out = new Map<number, Map<number, Current>>(imageIds.map((id) => [id, new Map()]))
  const rows = prepared<Pick<LabelRow, 'image_id' | 'class_id' | 'value' | 'intensity'>>(
    db,
    'SELECT image_id, class_id, value, intensity FROM labels WHERE image_id IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(imageIds))
  for (const r of rows) out.get(r.image_id)!.set(r.class_id, { value: r.value, intensity: r.intensity })
  return out
}

function byImage(batch: Resolved[]): Map<number, Map<number, Resolved>> {
  const out = new Map<number, Map<number, Resolved>>()
  for (const c of batch) {
    let changes = out.get(c.imageId)
    if (!changes) out.set(c.imageId, (changes = new Map()))
    // The last change of a label wins, as if they were applied one after the other.
    changes.delete(c.classId)
    changes.set(c.classId, c)
  }
  return out
}

const codesOf = (rules: ChoiceRules, labels: Map<number, Current>): Record<string, LabelValue> =>
  Object.fromEntries([...labels].map(([classId, l]) => [rules.classes.code(classId), l.value]))

/** The image's changes completed by the one-emotion rule; two emotions chosen at once is refused. */
function completed(
  rules: ChoiceRules,
  imageId: number,
  datasetId: number,
  labels: Map<number, Current>,
  changes: Map<number, Resolved>,
): Map<number, Resolved> {
  const { classes } = rules
  const wanted = new Map([...changes.values()].map((c) => [classes.code(c.classId), c.value]))
  const result = completeChoice(rules.image(imageId, datasetId, codesOf(rules, labels)), classes.list, wanted)
  if (isChoiceConflict(result)) {
    const fields = [...changes.values()]
      .filter((c) => result.codes.includes(classes.code(c.classId)))
      .flatMap((c) => fieldOf(c) ?? [])
    throw choiceError(result, rules.datasetName(datasetId), { kind: 'edit', fields })
  }
  const out = new Map(changes)
  for (const [code, value] of result)
    if (!wanted.has(code)) out.set(classes.id(code), { imageId, classId: classes.id(code), value, intensity: null })
  return out
}

/**
 * Writes one batch (call inside a transaction) and returns the number of labels changed. A restore
 * is refused when it makes an emotion present on an image that has another one present now (a later
 * edit chose it): the image, the codes and the edit are named.
 */
export function applyBatch(
  db: Database,
  rules: ChoiceRules,
  editId: number,
  meta: EditMeta,
  batch: Resolved[],
  now: number,
): number {
  const { upsert, remove, log } = labelWrites(db)
  const grouped = byImage(batch)
  const ids = [...grouped.keys()]
  const datasets = rules.datasetsOf(ids)
  const current = currentLabels(db, ids)
  let changed = 0
  for (const [imageId, changes] of grouped) {
    const datasetId = datasets.get(imageId)
    if (datasetId === undefined) {
      const field = fieldOf([...changes.values()][0])
      throw new WorkbenchError(
        'not_found',
        `No image with id ${imageId}${field ? ` (${field}.imageId)` : ''} in this workspace.`,
        { field: field ? `${field}.imageId` : 'imageId', id: imageId },
      )
    }
    const labels = current.get(imageId)!
    const final = meta.mode === 'choose' ? completed(rules, imageId, datasetId, labels, changes) : changes
    const madePresent: string[] = []
    for (const c of final.values()) {
      const old = labels.get(c.classId)
      const oldValue = old?.value ?? null
      const oldIntensity = old?.intensity ?? null
      if (oldValue === c.value && (c.value === null || oldIntensity === c.intensity)) continue
      if (c.value === null) remove.run(imageId, c.classId)
      else upsert.run(imageId, c.classId, c.value, c.intensity, meta.who, now)
      log.run(
        editId,
        imageId,
        c.classId,
        oldValue,
        c.value,
        oldIntensity,
        c.value === null ? null : c.intensity,
        meta.who,
        now,
        meta.reason,
        meta.undoes,
      )
      if (c.value === null) labels.delete(c.classId)
      else labels.set(c.classId, { value: c.value, intensity: c.intensity })
      if (c.value === 1) madePresent.push(rules.classes.code(c.classId))
      changed++
    }
    if (meta.mode === 'restore' && madePresent.length)
      checkRestored(rules, meta, imageId, datasetId, labels, madePresent)
  }
  return changed
}

function checkRestored(
  rules: ChoiceRules,
  meta: EditMeta,
  imageId: number,
  datasetId: number,
  labels: Map<number, Current>,
  madePresent: string[],
): void {
  const after = codesOf(rules, labels)
  const [conflict] = choiceConflicts(rules.image(imageId, datasetId, after), rules.classes.list, after, madePresent)
  if (conflict) throw choiceError(conflict, rules.datasetName(datasetId), { kind: 'restore', what: meta.what })
}
