import type { LabelEvent, StoredLabel } from '../../shared/contract'
import type { LabelValue } from '../../shared/labels'
import { isoTime } from '../catalogue/time'

// The label tables as SQLite returns their rows (snake_case; migrations 0001 and 0005), and their
// mapping to the contract's types. A query types its rows as a Pick of these.

/** labels: one known label of an image (no row: unknown; value 0: absent). */
export interface LabelRow {
  image_id: number
  class_id: number
  value: LabelValue
  intensity: number | null
  soft: number | null
  set_by: string
  set_at: number
}

export const storedLabelOf = (
  r: Pick<LabelRow, 'class_id' | 'value' | 'intensity' | 'set_by' | 'set_at'>,
  code: (classId: number) => string,
): StoredLabel => ({
  code: code(r.class_id),
  value: r.value,
  intensity: r.intensity,
  setBy: r.set_by,
  setAt: isoTime(r.set_at),
})

/** label_events: the append-only log of every label change, grouped by edit (one undo). */
export interface LabelEventRow {
  id: number
  edit_id: number
  image_id: number
  class_id: number
  old_value: LabelValue | null
  new_value: LabelValue | null
  old_intensity: number | null
  new_intensity: number | null
  who: string
  at: number
  reason: string
  undoes: number | null
}

export const labelEventOf = (r: LabelEventRow, code: (classId: number) => string): LabelEvent => ({
  id: r.id,
  editId: r.edit_id,
  imageId: r.image_id,
  code: code(r.class_id),
  oldValue: r.old_value,
  newValue: r.new_value,
  oldIntensity: r.old_intensity,
  newIntensity: r.new_intensity,
  who: r.who,
  at: isoTime(r.at),
  reason: r.reason,
  undoes: r.undoes,
})

/** One logged label change, as undo, redo and rollback put it back. */
export interface LoggedChange {
  id: number
  imageId: number
  classId: number
  oldValue: LabelValue | null
  newValue: LabelValue | null
  oldIntensity: number | null
  newIntensity: number | null
  who: string
}

export const loggedChangeOf = (
  r: Pick<
    LabelEventRow,
    'id' | 'image_id' | 'class_id' | 'old_value' | 'new_value' | 'old_intensity' | 'new_intensity' | 'who'
  >,
): LoggedChange => ({
  id: r.id,
  imageId: r.image_id,
  classId: r.class_id,
  oldValue: r.old_value,
  newValue: r.new_value,
  oldIntensity: r.old_intensity,
  newIntensity: r.new_intensity,
  who: r.who,
})

/** label_edits_in_progress: an edit being written in chunks (a row left behind is rolled back at the next open). */
export interface EditInProgressRow {
  edit_id: number
  pid: number
  started_at: number
  status: 'applying' | 'failed'
}
