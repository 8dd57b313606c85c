import type { Database } from 'better-sqlite3'
import type { ImageDetail, ImageSummary, LabelEvent, ReviewStatus, Split, StoredLabel } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { LabelValue } from '../../shared/labels'
import { prepared } from '../db/statements'
import { classIndex } from './classes'
import { reviewChanged } from './page-anchors'
import { isoTime } from './time'

interface ImageRow {
  id: number; dataset_id: number; dataset: string; path: string; split: Split; width: number; height: number; review_status: ReviewStatus
}

const SUMMARY_COLUMNS = 'i.id, i.dataset_id, d.name AS dataset, i.path, i.split, i.width, i.height, i.review_status'

const summary = (r: ImageRow, labels: Record<string, LabelValue>): ImageSummary => ({
  id: r.id, datasetId: r.dataset_id, dataset: r.dataset, path: r.path, split: r.split, width: r.width, height: r.height, reviewStatus: r.review_status, labels,
})

/** Known labels of several images at once, keyed by image id. */
export function knownLabels(db: Database, imageIds: number[]): Map<number, Record<string, LabelValue>> {
  const classes = classIndex(db)
  const out = new Map<number, Record<string, LabelValue>>(imageIds.map((id) => [id, {}]))
  if (!imageIds.length) return out
  const rows = prepared(db, `SELECT image_id, class_id, value FROM labels WHERE image_id IN (${imageIds.map(() => '?').join(',')})`).all(...imageIds) as { image_id: number; class_id: number; value: LabelValue }[]
  for (const r of rows) out.get(r.image_id)![classes.code(r.class_id)] = r.value
  return out
}

export function requireImage(db: Database, id: number, field = 'id'): ImageRow {
  const row = prepared(db, `SELECT ${SUMMARY_COLUMNS} FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.id = ?`).get(id) as ImageRow | undefined
  if (!row) throw new WorkbenchError('not_found', `No image with id ${id} (${field}) in this workspace.`, { field, id })
  return row
}

interface EventRow { id: number; edit_id: number; image_id: number; class_id: number; old_value: LabelValue | null; new_value: LabelValue | null; who: string; at: number; reason: string; undoes: number | null }

export const eventOf = (r: EventRow, code: (id: number) => string): LabelEvent => ({
  id: r.id, editId: r.edit_id, imageId: r.image_id, code: code(r.class_id), oldValue: r.old_value, newValue: r.new_value, who: r.who, at: isoTime(r.at), reason: r.reason, undoes: r.undoes,
})

/** One image with its labels (who set them, when), its dataset's label space and its history, newest first. */
export function getImage(db: Database, id: number): ImageDetail {
  const classes = classIndex(db)
  const row = requireImage(db, id)
  const extra = prepared(db, 'SELECT note, face_x, face_y, face_w, face_h, attributes FROM images WHERE id = ?').get(id) as { note: string; face_x: number | null; face_y: number | null; face_w: number | null; face_h: number | null; attributes: string | null }
  const labelRows = prepared(db, 'SELECT l.class_id, l.value, l.intensity, l.set_by, l.set_at FROM labels l JOIN classes c ON c.id = l.class_id WHERE l.image_id = ? ORDER BY c.position').all(id) as { class_id: number; value: LabelValue; intensity: number | null; set_by: string; set_at: number }[]
  const labelDetails: StoredLabel[] = labelRows.map((r) => ({ code: classes.code(r.class_id), value: r.value, intensity: r.intensity, setBy: r.set_by, setAt: isoTime(r.set_at) }))
  const space = prepared(db, 'SELECT c.code FROM dataset_classes dc JOIN classes c ON c.id = dc.class_id WHERE dc.dataset_id = ? ORDER BY c.position').all(row.dataset_id) as { code: string }[]
  const { multi_label } = prepared(db, 'SELECT multi_label FROM datasets WHERE id = ?').get(row.dataset_id) as { multi_label: number }
  const history = (prepared(db, 'SELECT * FROM label_events WHERE image_id = ? ORDER BY id DESC LIMIT 500').all(id) as EventRow[]).map((r) => eventOf(r, (c) => classes.code(c)))
  return {
    ...summary(row, Object.fromEntries(labelDetails.map((l) => [l.code, l.value]))),
    labelDetails,
    labelSpace: space.map((s) => s.code),
    multiLabel: multi_label === 1,
    note: extra.note,
    faceBox: extra.face_x === null ? null : { x: extra.face_x, y: extra.face_y!, width: extra.face_w!, height: extra.face_h! },
    attributes: extra.attributes ? (JSON.parse(extra.attributes) as Record<string, number>) : {},
    history,
  }
}

/** Review status (and note) of many images in one transaction. */
export function setReview(db: Database, imageIds: number[], status: ReviewStatus, note?: string): number {
  reviewChanged(db)
  const set = note === undefined ? prepared(db, 'UPDATE images SET review_status = ? WHERE id = ?') : prepared(db, 'UPDATE images SET review_status = ?, note = ? WHERE id = ?')
  return db.transaction(() => {
    let changed = 0
    for (const id of imageIds) changed += (note === undefined ? set.run(status, id) : set.run(status, note, id)).changes
    return changed
  })()
}
