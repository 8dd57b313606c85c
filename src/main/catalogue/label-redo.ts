import type { Database } from 'better-sqlite3'
import type { EditResult } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { LabelValue } from '../../shared/labels'
import { prepared } from '../db/statements'
import { applyLabelChanges } from './label-edits'

// Redo and per-image revert, beside labels.undo (label-edits.ts). Both are new edits in the
// append-only log: nothing is rewritten, every step stays traceable.

interface EventRow { image_id: number; class_id: number; old_value: LabelValue | null; new_value: LabelValue | null; old_intensity: number | null; undoes: number | null; reason: string }

const eventsOf = (db: Database, editId: number): EventRow[] =>
  prepared(db, 'SELECT image_id, class_id, old_value, new_value, old_intensity, undoes, reason FROM label_events WHERE edit_id = ? ORDER BY id DESC').all(editId) as EventRow[]

/**
 * Redoes an undone edit by reverting its undo (`undoEditId`; by default the newest undo not yet
 * redone). Recorded as a new edit whose `undoes` points at the undo.
 */
export function redoEdit(db: Database, who: string, undoEditId?: number): EditResult {
  const target =
    undoEditId ??
    (prepared(db, `SELECT max(e.edit_id) AS id FROM label_events e WHERE e.undoes IS NOT NULL AND e.reason LIKE 'undo of edit %'
        AND NOT EXISTS (SELECT 1 FROM label_events r WHERE r.undoes = e.edit_id)`).get() as { id: number | null }).id
  if (target === null || target === undefined) throw new WorkbenchError('not_found', 'There is no undone edit to redo.')
  const events = eventsOf(db, target)
  if (!events.length) throw new WorkbenchError('not_found', `No label edit with id ${target} (editId).`, { field: 'editId', editId: target })
  // Undos point back with `undoes` and say so in their reason; a redo points back too, but is no undo.
  const undone = events[0].reason.startsWith('undo of edit') ? events[0].undoes : null
  if (undone === null) throw new WorkbenchError('conflict', `Edit ${target} is not an undo, so there is nothing to redo (editId): undo it instead.`, { field: 'editId', editId: target })
  if (prepared(db, 'SELECT 1 FROM label_events WHERE undoes = ? LIMIT 1').get(target)) {
    throw new WorkbenchError('conflict', `Edit ${undone} has already been redone.`, { field: 'editId', editId: target })
  }
  return applyLabelChanges(db, events.map((e) => ({ imageId: e.image_id, classId: e.class_id, value: e.old_value, intensity: e.old_intensity })), who, `redo of edit ${undone}`, target)
}

/**
 * Undoes one edit on one image only, from that image's history. When the edit touched only this
 * image it is a plain undo (`undoes` set); part of a bulk edit is reverted as an ordinary edit whose
 * reason names the edit, so the other images keep theirs.
 */
export function revertEdit(db: Database, who: string, editId: number, imageId: number): EditResult {
  const events = eventsOf(db, editId)
  if (!events.length) throw new WorkbenchError('not_found', `No label edit with id ${editId} (editId).`, { field: 'editId', editId })
  const mine = events.filter((e) => e.image_id === imageId)
  if (!mine.length) throw new WorkbenchError('not_found', `Edit ${editId} did not change image ${imageId} (imageId).`, { field: 'imageId', editId, imageId })
  const whole = mine.length === events.length
  if (whole && prepared(db, 'SELECT 1 FROM label_events WHERE undoes = ? LIMIT 1').get(editId)) {
    throw new WorkbenchError('conflict', `Edit ${editId} has already been undone.`, { field: 'editId', editId })
  }
  const changes = mine.map((e) => ({ imageId: e.image_id, classId: e.class_id, value: e.old_value, intensity: e.old_intensity }))
  return whole
    ? applyLabelChanges(db, changes, who, `undo of edit ${editId}`, editId)
    : applyLabelChanges(db, changes, who, `undo of edit ${editId} on image ${imageId} only`)
}
