import type { Database } from 'better-sqlite3'
import { prepared } from '../db/statements'
import { ensureCoder } from './coders'

// One coder alone (the desktop app, the CLI's --who): their label edits are the consensus, as before
// issue 14, and also their coding, so that their codes stand beside a second coder's later. An edit's
// last change of each label is copied into the codings (with its history), in one transaction.

const LAST_CHANGES = 'SELECT max(id) FROM label_events WHERE edit_id = @edit GROUP BY image_id, class_id'
const INTENSITY =
  'CASE WHEN e.new_value = 1 AND e.new_intensity IN (1, 2, 3, 4, 5) THEN CAST(e.new_intensity AS INTEGER) END'

/** Records a consensus edit (labels.edit, bulk edit, undo, redo, revert) as the coding of `who`. */
export function recordEditAsCodings(db: Database, editId: number | null, who: string): void {
  if (editId === null) return
  db.transaction(() => {
    const coder = ensureCoder(db, who)
    prepared(
      db,
      `INSERT INTO coding_events (image_id, class_id, coder_id, old_value, new_value, old_intensity, new_intensity, at, reason)
      SELECT e.image_id, e.class_id, @coder, k.value, e.new_value, k.intensity, ${INTENSITY}, e.at, e.reason
      FROM label_events e LEFT JOIN codings k ON k.image_id = e.image_id AND k.class_id = e.class_id AND k.coder_id = @coder
      WHERE e.id IN (${LAST_CHANGES})`,
    ).run({ coder: coder.id, edit: editId })
    prepared(
      db,
      `INSERT INTO codings (image_id, class_id, coder_id, value, intensity, set_at)
      SELECT e.image_id, e.class_id, @coder, e.new_value, ${INTENSITY}, e.at FROM label_events e
      WHERE e.id IN (${LAST_CHANGES}) AND e.new_value IS NOT NULL
      ON CONFLICT (image_id, class_id, coder_id) DO UPDATE SET value = excluded.value, intensity = excluded.intensity, set_at = excluded.set_at`,
    ).run({ coder: coder.id, edit: editId })
    prepared(
      db,
      `DELETE FROM codings WHERE coder_id = @coder AND (image_id, class_id) IN
      (SELECT image_id, class_id FROM label_events WHERE id IN (${LAST_CHANGES}) AND new_value IS NULL)`,
    ).run({ coder: coder.id, edit: editId })
  })()
}
