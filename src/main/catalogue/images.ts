import type { Database } from 'better-sqlite3'
import type { ImageDetail, ReviewStatus } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { LabelValue } from '../../shared/labels'
import { prepared } from '../db/statements'
import { labelEventOf, storedLabelOf, type LabelEventRow, type LabelRow } from '../labels/label-rows'
import {
  faceBoxOf,
  IMAGE_LIST_COLUMNS,
  imageSummaryOf,
  type ClassRow,
  type DatasetRow,
  type ImageListRow,
  type ImageRow,
} from './catalogue-rows'
import { faceDetail, faceHistory } from './faces'
import { classIndex } from './classes'
import { reviewChanged } from './page-anchors'

/** Known labels of several images at once, keyed by image id. */
export function knownLabels(db: Database, imageIds: number[]): Map<number, Record<string, LabelValue>> {
  const classes = classIndex(db)
  const out = new Map<number, Record<string, LabelValue>>(imageIds.map((id) => [id, {}]))
  if (!imageIds.length) return out
  const rows = prepared<Pick<LabelRow, 'image_id' | 'class_id' | 'value'>>(
    db,
    `SELECT image_id, class_id, value FROM labels WHERE image_id IN (${imageIds.map(() => '?').join(',')})`,
  ).all(...imageIds)
  for (const r of rows) out.get(r.image_id)![classes.code(r.class_id)] = r.value
  return out
}

export function requireImage(db: Database, id: number, field = 'id'): ImageListRow {
  const row = prepared<ImageListRow>(
    db,
    `SELECT ${IMAGE_LIST_COLUMNS} FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.id = ?`,
  ).get(id)
  if (!row) throw new WorkbenchError('not_found', `No image with id ${id} (${field}) in this workspace.`, { field, id })
  return row
}

/** One image with its labels (who set them, when), its dataset's label space and its history, newest first. */
export function getImage(db: Database, id: number): ImageDetail {
  const classes = classIndex(db)
  const row = requireImage(db, id)
  const extra = prepared<Pick<ImageRow, 'note' | 'face_x' | 'face_y' | 'face_w' | 'face_h' | 'attributes'>>(
    db,
    'SELECT note, face_x, face_y, face_w, face_h, attributes FROM images WHERE id = ?',
  ).get(id)!
  const labelRows = prepared<Pick<LabelRow, 'class_id' | 'value' | 'intensity' | 'set_by' | 'set_at'>>(
    db,
    'SELECT l.class_id, l.value, l.intensity, l.set_by, l.set_at FROM labels l JOIN classes c ON c.id = l.class_id WHERE l.image_id = ? ORDER BY c.position',
  ).all(id)
  const labelDetails = labelRows.map((r) => storedLabelOf(r, (c) => classes.code(c)))
  const space = prepared<Pick<ClassRow, 'code'>>(
    db,
    'SELECT c.code FROM dataset_classes dc JOIN classes c ON c.id = dc.class_id WHERE dc.dataset_id = ? ORDER BY c.position',
  ).all(row.dataset_id)
  const { multi_label } = prepared<Pick<DatasetRow, 'multi_label'>>(
    db,
    'SELECT multi_label FROM datasets WHERE id = ?',
  ).get(row.dataset_id)!
  const history = prepared<LabelEventRow>(
    db,
    'SELECT * FROM label_events WHERE image_id = ? ORDER BY id DESC LIMIT 500',
  )
    .all(id)
    .map((r) => labelEventOf(r, (c) => classes.code(c)))
  return {
    ...imageSummaryOf(row, Object.fromEntries(labelDetails.map((l) => [l.code, l.value]))),
    labelDetails,
    labelSpace: space.map((s) => s.code),
    multiLabel: multi_label === 1,
    note: extra.note,
    faceBox: faceBoxOf(extra),
    attributes: extra.attributes ? (JSON.parse(extra.attributes) as Record<string, number>) : {},
    history,
    face: faceDetail(db, id),
    faceHistory: faceHistory(db, id),
  }
}

/** Review status (and note) of many images in one transaction. */
export function setReview(db: Database, imageIds: number[], status: ReviewStatus, note?: string): number {
  reviewChanged(db)
  const set =
    note === undefined
      ? prepared(db, 'UPDATE images SET review_status = ? WHERE id = ?')
      : prepared(db, 'UPDATE images SET review_status = ?, note = ? WHERE id = ?')
  return db.transaction(() => {
    let changed = 0
    for (const id of imageIds) changed += (note === undefined ? set.run(status, id) : set.run(status, note, id)).changes
    return changed
  })()
}
