import type { Database } from 'better-sqlite3'
import { prepared } from '../db/statements'
import { EDIT_CHUNK, eventsNewestFirst, labelWrites, liveEditKey, editsInProgress, nextEditId } from './edit-apply'
import type { EditInProgressRow, LabelRow, LoggedChange } from './label-rows'
import { batchesByImage, runNow, type Steps } from '../db/paced'

// Taking back an edit that was written in chunks and did not finish (a batch failed, or the
// process died). The label history is append-only, so the rollback is a new edit that undoes it.
// An image goes back to how it was before the edit only if nobody changed it since: where a later
// edit touched the image, that later edit's labels stay. Running it twice changes nothing more.

export const ROLLBACK_REASON = 'rollback of edit'

/** Per label of one image: what the edit set last (newest event) and what was there before it (oldest). */
function perLabel(events: LoggedChange[]): Map<number, { newest: LoggedChange; oldest: LoggedChange }> {
  const out = new Map<number, { newest: LoggedChange; oldest: LoggedChange }>()
  for (const e of events) {
    const seen = out.get(e.classId)
    if (seen) seen.oldest = e
    else out.set(e.classId, { newest: e, oldest: e })
  }
  return out
}

/** Rolls back edit `editId`, a batch per step; removes its reservation when done. Returns the labels restored. */
export function* rollbackSteps(db: Database, editId: number, why: string, now = Date.now()): Steps<number> {
  const current = prepared<Pick<LabelRow, 'value' | 'intensity'>>(
    db,
    'SELECT value, intensity FROM labels WHERE image_id = ? AND class_id = ?',
  )
  const { upsert, remove, log } = labelWrites(db)
  const reason = `${ROLLBACK_REASON} ${editId}: ${why}`.slice(0, 2000)
  let rollbackId: number | null = null
  let restored = 0
  try {
    for (const batch of batchesByImage(eventsNewestFirst(db, editId), EDIT_CHUNK)) {
      db.transaction(() => {
        for (const events of groupRuns(batch)) {
          const labels = perLabel(events)
          const untouched = [...labels.values()].every(({ newest: e }) => {
            const held = current.get(e.imageId, e.classId)
            return (
              (held?.value ?? null) === e.newValue &&
              (e.newValue === null || (held?.intensity ?? null) === e.newIntensity)
            )
          })
          if (!untouched) continue
          for (const { newest, oldest } of labels.values()) {
            rollbackId ??= nextEditId(db)
            if (oldest.oldValue === null) remove.run(newest.imageId, newest.classId)
            else upsert.run(newest.imageId, newest.classId, oldest.oldValue, oldest.oldIntensity, newest.who, now)
            log.run(
              rollbackId,
              newest.imageId,
              newest.classId,
              newest.newValue,
              oldest.oldValue,
              newest.newIntensity,
              oldest.oldValue === null ? null : oldest.oldIntensity,
              newest.who,
              now,
              reason,
              editId,
            )
            restored++
          }
        }
      })()
      yield
    }
    prepared(db, 'DELETE FROM label_edits_in_progress WHERE edit_id = ?').run(editId)
    return restored
  } catch (e) {
    try {
      prepared(db, "UPDATE label_edits_in_progress SET status = 'failed' WHERE edit_id = ?").run(editId)
    } catch {
      // The reservation is there either way; the next open rolls the edit back.
    }
    throw e
  }
}

/** Consecutive events of one image. */
function* groupRuns(events: LoggedChange[]): Generator<LoggedChange[], void, void> {
  let run: LoggedChange[] = []
  for (const e of events) {
    if (run.length && run[0].imageId !== e.imageId) {
      yield run
      run = []
    }
    run.push(e)
  }
  if (run.length) yield run
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Rolls back edits left half-written: those whose writer died (killed, crashed, power cut) and
 * those whose own rollback failed. Run when a workspace is opened. Returns the edits rolled back.
 */
export function recoverInterruptedEdits(db: Database): number[] {
  const rows = prepared<Pick<EditInProgressRow, 'edit_id' | 'pid' | 'status'>>(
    db,
    'SELECT edit_id, pid, status FROM label_edits_in_progress ORDER BY edit_id',
  ).all()
  const stale = rows.filter(
    (r) =>
      r.status === 'failed' ||
      !isAlive(r.pid) ||
      (r.pid === process.pid && !editsInProgress.has(liveEditKey(db, r.edit_id))),
  )
  for (const r of stale) runNow(rollbackSteps(db, r.edit_id, 'it was interrupted before it was fully written'))
  return stale.map((r) => r.edit_id)
}
