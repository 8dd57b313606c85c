import type { Database } from 'better-sqlite3'
import type { EditResult } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { storedIntensity } from '../../shared/intensity'
import { plucked, prepared, scalar } from '../db/statements'
import { EDIT_CHUNK, eventsNewestFirst, type EditMeta, type Resolved } from './edit-apply'
import { ROLLBACK_REASON } from './edit-rollback'
import { editSteps, isInProgress } from './edit-writer'
import type { LabelEventRow } from './label-rows'
import { runPaced } from '../db/paced'

// Undo, redo and per-image revert of label edits. Each is a new edit in the append-only log:
// nothing is rewritten, every step stays traceable. They put values back as they were and refuse to
// leave two emotions present on an image (another edit chose one since).

/**
 * An edit's events (on one image, or all), newest first, as the changes that put back what they
 * replaced; an intensity logged before migration 0007 is put back as that migration stores it.
 */
export function* restoringChanges(db: Database, editId: number, imageId?: number): Generator<Resolved, void, void> {
  for (const e of eventsNewestFirst(db, editId, imageId))
    yield {
      imageId: e.imageId,
      classId: e.classId,
      value: e.oldValue,
      intensity: storedIntensity(e.oldValue, e.oldIntensity),
    }
}

/** Changes in batches of about EDIT_CHUNK. */
export function* inBatches(changes: Iterable<Resolved>): Generator<Resolved[], void, void> {
  let batch: Resolved[] = []
  for (const c of changes) {
    batch.push(c)
    if (batch.length >= EDIT_CHUNK) {
      yield batch
      batch = []
    }
  }
  if (batch.length) yield batch
}

/** Refuses to take back an edit that is still being written or that rolled back a failed one. */
export function checkRevertible(db: Database, editId: number): void {
  if (isInProgress(db, editId))
    throw new WorkbenchError('conflict', `Edit ${editId} is still being written: try again in a moment.`, {
      field: 'editId',
      editId,
    })
  const first = plucked<LabelEventRow['reason']>(db, 'SELECT reason FROM label_events WHERE edit_id = ? LIMIT 1').get(
    editId,
  )
  if (first?.startsWith(ROLLBACK_REASON))
    throw new WorkbenchError(
      'conflict',
      `Edit ${editId} took back an edit that could not be written; it cannot be undone.`,
      { field: 'editId', editId },
    )
}

/** Reverts an edit (by default the latest one, or redo, not yet undone) as a new edit that points back at it. */
export async function undoEdit(db: Database, who: string, editId?: number): Promise<EditResult> {
  const target =
    editId ??
    scalar<number | null>(
      db,
      `SELECT max(e.edit_id) FROM label_events e WHERE (e.undoes IS NULL OR e.reason LIKE 'redo of edit %')
        AND NOT EXISTS (SELECT 1 FROM label_events u WHERE u.undoes = e.edit_id)
        AND e.edit_id NOT IN (SELECT edit_id FROM label_edits_in_progress)`,
    )
  if (target === null || target === undefined) throw new WorkbenchError('not_found', 'There is no label edit to undo.')
  checkRevertible(db, target)
  if (prepared(db, 'SELECT 1 FROM label_events WHERE undoes = ? LIMIT 1').get(target)) {
    throw new WorkbenchError('conflict', `Edit ${target} has already been undone.`, { editId: target })
  }
  if (!prepared(db, 'SELECT 1 FROM label_events WHERE edit_id = ? LIMIT 1').get(target))
    throw new WorkbenchError('not_found', `No label edit with id ${target}.`, { editId: target })
  const meta: EditMeta = {
    who,
    reason: `undo of edit ${target}`,
    undoes: target,
    mode: 'restore',
    what: `Undoing edit ${target}`,
  }
  return runPaced(editSteps(db, meta, inBatches(restoringChanges(db, target))))
}

const firstEvent = (db: Database, editId: number) =>
  prepared<Pick<LabelEventRow, 'undoes' | 'reason'>>(
    db,
    'SELECT undoes, reason FROM label_events WHERE edit_id = ? ORDER BY id DESC LIMIT 1',
  ).get(editId)

/**
 * Redoes an undone edit by reverting its undo (`undoEditId`; by default the newest undo not yet
 * redone). Recorded as a new edit whose `undoes` points at the undo.
 */
export async function redoEdit(db: Database, who: string, undoEditId?: number): Promise<EditResult> {
  const target =
    undoEditId ??
    scalar<number | null>(
      db,
      `SELECT max(e.edit_id) FROM label_events e WHERE e.undoes IS NOT NULL AND e.reason LIKE 'undo of edit %'
        AND NOT EXISTS (SELECT 1 FROM label_events r WHERE r.undoes = e.edit_id)
        AND e.edit_id NOT IN (SELECT edit_id FROM label_edits_in_progress)`,
    )
  if (target === null || target === undefined) throw new WorkbenchError('not_found', 'There is no undone edit to redo.')
  const event = firstEvent(db, target)
  if (!event)
    throw new WorkbenchError('not_found', `No label edit with id ${target} (editId).`, {
      field: 'editId',
      editId: target,
    })
  checkRevertible(db, target)
  // Undos point back with `undoes` and say so in their reason; a redo points back too, but is no undo.
  const undone = event.reason.startsWith('undo of edit') ? event.undoes : null
  if (undone === null)
    throw new WorkbenchError(
      'conflict',
      `Edit ${target} is not an undo, so there is nothing to redo (editId): undo it instead.`,
      { field: 'editId', editId: target },
    )
  if (prepared(db, 'SELECT 1 FROM label_events WHERE undoes = ? LIMIT 1').get(target)) {
    throw new WorkbenchError('conflict', `Edit ${undone} has already been redone.`, { field: 'editId', editId: target })
  }
  const meta: EditMeta = {
    who,
    reason: `redo of edit ${undone}`,
    undoes: target,
    mode: 'restore',
    what: `Redoing edit ${undone}`,
  }
  return runPaced(editSteps(db, meta, inBatches(restoringChanges(db, target))))
}

/**
 * Undoes one edit on one image only, from that image's history. When the edit touched only this
 * image it is a plain undo (`undoes` set); part of a bulk edit is reverted as an ordinary edit whose
 * reason names the edit, so the other images keep theirs.
 */
export async function revertEdit(db: Database, who: string, editId: number, imageId: number): Promise<EditResult> {
  if (!firstEvent(db, editId))
    throw new WorkbenchError('not_found', `No label edit with id ${editId} (editId).`, { field: 'editId', editId })
  checkRevertible(db, editId)
  const count = (sql: string, ...params: number[]) => scalar<number>(db, sql, ...params)
  const mine = count('SELECT count(*) FROM label_events WHERE edit_id = ? AND image_id = ?', editId, imageId)
  if (!mine)
    throw new WorkbenchError('not_found', `Edit ${editId} did not change image ${imageId} (imageId).`, {
      field: 'imageId',
      editId,
      imageId,
    })
  const whole = mine === count('SELECT count(*) FROM label_events WHERE edit_id = ?', editId)
  if (whole && prepared(db, 'SELECT 1 FROM label_events WHERE undoes = ? LIMIT 1').get(editId)) {
    throw new WorkbenchError('conflict', `Edit ${editId} has already been undone.`, { field: 'editId', editId })
  }
  const meta: EditMeta = whole
    ? { who, reason: `undo of edit ${editId}`, undoes: editId, mode: 'restore', what: `Undoing edit ${editId}` }
    : {
        who,
        reason: `undo of edit ${editId} on image ${imageId} only`,
        undoes: null,
        mode: 'restore',
        what: `Undoing edit ${editId} on image ${imageId}`,
      }
  return runPaced(editSteps(db, meta, inBatches(restoringChanges(db, editId, imageId))))
}
