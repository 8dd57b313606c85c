import type { Database } from 'better-sqlite3'
import type { EditResult, LabelChange } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { LabelValue } from '../../shared/labels'
import { prepared } from '../db/statements'
import { classIndex } from './classes'
import { isoTime } from './time'

interface Current { value: LabelValue; intensity: number | null }
interface Resolved { imageId: number; classId: number; value: LabelValue | null; intensity: number | null }

const nextEditId = (db: Database): number => (prepared(db, 'SELECT coalesce(max(edit_id), 0) + 1 AS id FROM label_events').get() as { id: number }).id

/**
 * Applies label changes in one transaction and logs each real change in label_events under one
 * edit id. A change that leaves a label as it was is not logged. Returns the edit id (null when
 * nothing changed).
 */
export function applyLabelChanges(db: Database, changes: Resolved[], who: string, reason: string, undoes: number | null = null, now = Date.now()): EditResult {
  const get = prepared(db, 'SELECT value, intensity FROM labels WHERE image_id = ? AND class_id = ?')
  const upsert = prepared(db, `INSERT INTO labels (image_id, class_id, value, intensity, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (image_id, class_id) DO UPDATE SET value = excluded.value, intensity = excluded.intensity, soft = NULL, set_by = excluded.set_by, set_at = excluded.set_at`)
  const remove = prepared(db, 'DELETE FROM labels WHERE image_id = ? AND class_id = ?')
  const log = prepared(db, `INSERT INTO label_events (edit_id, image_id, class_id, old_value, new_value, old_intensity, new_intensity, who, at, reason, undoes)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  return db.transaction((): EditResult => {
    const editId = nextEditId(db)
    let changed = 0
    for (const c of changes) {
      const old = get.get(c.imageId, c.classId) as Current | undefined
      const oldValue = old?.value ?? null
      const oldIntensity = old?.intensity ?? null
      if (oldValue === c.value && (c.value === null || oldIntensity === c.intensity)) continue
      if (c.value === null) remove.run(c.imageId, c.classId)
      else upsert.run(c.imageId, c.classId, c.value, c.intensity, who, now)
      log.run(editId, c.imageId, c.classId, oldValue, c.value, oldIntensity, c.value === null ? null : c.intensity, who, now, reason, undoes)
      changed++
    }
    return { editId: changed ? editId : null, changed, at: isoTime(now) }
  })()
}

/** Checks codes and image ids of a UI edit and applies it. */
export function editLabels(db: Database, changes: LabelChange[], who: string, reason: string): EditResult {
  const classes = classIndex(db)
  const exists = prepared(db, 'SELECT 1 FROM images WHERE id = ?')
  const resolved = changes.map((c, n): Resolved => {
    if (!exists.get(c.imageId)) throw new WorkbenchError('not_found', `No image with id ${c.imageId} (changes[${n}].imageId).`, { field: `changes[${n}].imageId`, id: c.imageId })
    return { imageId: c.imageId, classId: classes.id(c.code, `changes[${n}].code`), value: c.value, intensity: c.value === null ? null : (c.intensity ?? null) }
  })
  return applyLabelChanges(db, resolved, who, reason)
}

/** Reverts an edit (by default the latest one, or redo, not yet undone) as a new edit that points back at it. */
export function undoEdit(db: Database, who: string, editId?: number): EditResult {
  const target =
    editId ??
    (prepared(db, `SELECT max(e.edit_id) AS id FROM label_events e WHERE (e.undoes IS NULL OR e.reason LIKE 'redo of edit %')
        AND NOT EXISTS (SELECT 1 FROM label_events u WHERE u.undoes = e.edit_id)`).get() as { id: number | null }).id
  if (target === null || target === undefined) throw new WorkbenchError('not_found', 'There is no label edit to undo.')
  if (prepared(db, 'SELECT 1 FROM label_events WHERE undoes = ? LIMIT 1').get(target)) {
    throw new WorkbenchError('conflict', `Edit ${target} has already been undone.`, { editId: target })
  }
  const events = prepared(db, 'SELECT image_id, class_id, old_value, old_intensity FROM label_events WHERE edit_id = ? ORDER BY id DESC').all(target) as { image_id: number; class_id: number; old_value: LabelValue | null; old_intensity: number | null }[]
  if (!events.length) throw new WorkbenchError('not_found', `No label edit with id ${target}.`, { editId: target })
  return applyLabelChanges(db, events.map((e) => ({ imageId: e.image_id, classId: e.class_id, value: e.old_value, intensity: e.old_intensity })), who, `undo of edit ${target}`, target)
}
