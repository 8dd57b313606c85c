import type { Database } from 'better-sqlite3'
import type { EditResult } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { prepared } from '../db/statements'
import { ChoiceRules } from './choice-rules'
import { applyBatch, editsInProgress, liveEditKey, nextEditId, type EditMeta, type Resolved } from './edit-apply'
import { rollbackSteps } from './edit-rollback'
import type { Steps } from '../db/paced'
import { isoTime } from '../catalogue/time'

// Writes one label edit, given as batches of changes. One batch: one transaction, as before. More:
// the edit id is reserved first (label_edits_in_progress), each batch is its own short
// transaction with a pause between (run paced, other clients are served meanwhile), and the edit
// stays one edit id and one undo. A batch that fails (a full disk, a refused undo, an image removed
// meanwhile) rolls back what the earlier batches wrote, so no half edit remains; a process killed
// mid-way leaves its reservation behind, and the next open rolls that edit back.

function reserveEditId(db: Database, now: number): number {
  return db.transaction(() => {
    const editId = nextEditId(db)
    prepared(db, 'INSERT INTO label_edits_in_progress (edit_id, pid, started_at) VALUES (?, ?, ?)').run(
      editId,
      process.pid,
      now,
    )
    return editId
  })()
}

/** The error to report when a chunked edit failed part-way and was rolled back. */
function failure(e: unknown, rolledBack: boolean): unknown {
  if (e instanceof WorkbenchError) return e
  const outcome = rolledBack
    ? 'Nothing was changed: the part already written was rolled back.'
    : 'The part already written will be rolled back when the workspace is next opened.'
  return new WorkbenchError('internal', `The label edit could not be written: ${(e as Error).message}. ${outcome}`)
}

/** Writes an edit from its batches; see the note at the top. Returns the edit id (null when nothing changed). */
export function* editSteps(
  db: Database,
  meta: EditMeta,
  batches: Iterable<Resolved[]>,
  now = Date.now(),
): Steps<EditResult> {
  const rules = new ChoiceRules(db)
  const at = isoTime(now)
  const source = batches[Symbol.iterator]()
  const first = source.next()
  if (first.done) return { editId: null, changed: 0, at }
  const second = source.next()
  if (second.done) {
    return db.transaction((): EditResult => {
      const editId = nextEditId(db)
      const changed = applyBatch(db, rules, editId, meta, first.value, now)
      return { editId: changed ? editId : null, changed, at }
    })()
  }
  const editId = reserveEditId(db, now)
  editsInProgress.add(liveEditKey(db, editId))
  let changed = 0
  try {
    const write = (batch: Resolved[]) =>
      (changed += db.transaction(() => applyBatch(db, rules, editId, meta, batch, now))())
    write(first.value)
    yield
    write(second.value)
    for (let next = source.next(); !next.done; next = source.next()) {
      yield
      write(next.value)
    }
    prepared(db, 'DELETE FROM label_edits_in_progress WHERE edit_id = ?').run(editId)
    return { editId: changed ? editId : null, changed, at }
  } catch (e) {
    let rolledBack = false
    try {
      yield* rollbackSteps(db, editId, e instanceof Error ? e.message : String(e))
      rolledBack = true
    } catch {
      // Left for the next open (the reservation says so): the first error is the one to report.
    }
    throw failure(e, rolledBack)
  } finally {
    editsInProgress.delete(liveEditKey(db, editId))
  }
}

/** Whether an edit is still being written (its undo or redo has to wait). */
export const isInProgress = (db: Database, editId: number): boolean =>
  !!prepared(db, 'SELECT 1 FROM label_edits_in_progress WHERE edit_id = ?').get(editId)
