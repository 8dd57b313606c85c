import type { Database } from 'better-sqlite3'
import type { FaceDetail, FaceEvent } from '../../shared/contract'
import type { Landmark } from '../../shared/faces'
import { prepared } from '../db/statements'
import type { ImageRow } from './catalogue-rows'
import { isoTime } from './time'

// An item's face as the Label view shows it, and the changes coders made to it.

type FaceRow = Pick<
  ImageRow,
  | 'dataset_id'
  | 'path'
  | 'source_path'
  | 'face_index'
  | 'face_origin'
  | 'face_x'
  | 'face_y'
  | 'face_w'
  | 'face_h'
  | 'face_score'
  | 'face_landmarks'
  | 'not_a_face'
  | 'width'
  | 'height'
>

export interface FaceEditRow {
  id: number
  image_id: number
  old_box: string | null
  new_box: string | null
  old_not_a_face: 0 | 1
  new_not_a_face: 0 | 1
  old_crop_sha256: string | null
  new_crop_sha256: string | null
  who: string
  at: number
  reason: string
}

/** The face of item `id` (which must exist). */
export function faceDetail(db: Database, id: number): FaceDetail {
  const r = prepared<FaceRow>(
    db,
    `SELECT dataset_id, path, source_path, face_index, face_origin, face_x, face_y, face_w, face_h, face_score,
      face_landmarks, not_a_face, width, height FROM images WHERE id = ?`,
  ).get(id)!
  const facesInPhoto = r.source_path
    ? prepared<{ n: number }>(db, 'SELECT count(*) AS n FROM images WHERE dataset_id = ? AND source_path = ?').get(
        r.dataset_id,
        r.source_path,
      )!.n
    : 1
  return {
    sourcePath: r.source_path ?? r.path,
    index: r.face_index,
    origin: r.face_origin,
    box: r.face_x === null ? null : { x: r.face_x, y: r.face_y!, width: r.face_w!, height: r.face_h! },
    score: r.face_score,
    landmarks: r.face_landmarks ? (JSON.parse(r.face_landmarks) as Landmark[]) : [],
    notAFace: r.not_a_face === 1,
    photoWidth: r.width,
    photoHeight: r.height,
    facesInPhoto,
  }
}

export const faceEventOf = (r: FaceEditRow): FaceEvent => ({
  id: r.id,
  imageId: r.image_id,
  oldBox: r.old_box ? (JSON.parse(r.old_box) as FaceEvent['oldBox']) : null,
  newBox: r.new_box ? (JSON.parse(r.new_box) as FaceEvent['newBox']) : null,
  oldNotAFace: r.old_not_a_face === 1,
  newNotAFace: r.new_not_a_face === 1,
  who: r.who,
  at: isoTime(r.at),
  reason: r.reason,
})

/** The changes made to item `id`'s face, newest first. */
export const faceHistory = (db: Database, id: number): FaceEvent[] =>
  prepared<FaceEditRow>(db, 'SELECT * FROM face_edits WHERE image_id = ? ORDER BY id DESC LIMIT 500')
    .all(id)
    .map(faceEventOf)
