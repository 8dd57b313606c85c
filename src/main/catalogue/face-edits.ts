import type { FaceDetail, FaceEvent } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { FaceBox } from '../../shared/faces'
import { FaceFinderOptionsSchema } from '../../shared/faces'
import { boxCrop } from '../faces/crops'
import { storeCrop } from '../import/faces/crop-cache'
import { prepared } from '../db/statements'
import type { Workspace } from '../workspace/workspace'
import { faceDetail, faceEventOf, type FaceEditRow } from './faces'
import { imageFile } from './media'

// A coder's correction of a face: a moved or resized box (its crop is cut again from the photo, so
// that training and prediction see the corrected face) or "not a face" (the item stays, with its
// labels and history, but is left out of training). Each change is one row of face_edits.

export interface FaceEdit {
  imageId: number
  box?: FaceBox
  notAFace?: boolean
  who: string
  reason: string
}

/** A box inside the photo, or a clear error naming the image and the photo's size. */
function checkedBox(box: FaceBox, face: FaceDetail, imageId: number): FaceBox {
  const { photoWidth: w, photoHeight: h } = face
  if (box.x < 0 || box.y < 0 || box.x + box.width > w || box.y + box.height > h)
    throw new WorkbenchError(
      'invalid_arguments',
      `The box (${box.x}, ${box.y}, ${box.width} x ${box.height}) of image ${imageId} reaches outside its ${w} x ${h} photo.`,
      { field: 'box', imageId },
    )
  return box
}

const boxJson = (box: FaceDetail['box']): string | null => (box ? JSON.stringify(box) : null)

/** Applies one face edit and records it; returns the face as it now is and the event. */
export async function editFace(ws: Workspace, edit: FaceEdit): Promise<{ face: FaceDetail; event: FaceEvent }> {
  const { db } = ws
  if (!prepared(db, 'SELECT 1 FROM images WHERE id = ?').get(edit.imageId))
    throw new WorkbenchError('not_found', `No image with id ${edit.imageId} in this workspace.`, { id: edit.imageId })
  const before = faceDetail(db, edit.imageId)
  const { file, cropSha256: oldCrop } = imageFile(db, edit.imageId)
  let newCrop = oldCrop
  const box = edit.box && checkedBox(edit.box, before, edit.imageId)
  if (box) {
    const { cropSize, margin } = FaceFinderOptionsSchema.parse({})
    const written: string[] = []
    newCrop = await storeCrop(
      { cropsDir: ws.cropsDir, thumbnailsDir: ws.thumbnailsDir, written },
      await boxCrop(file, box, { cropSize, margin }),
    )
  }
  const notAFace = edit.notAFace ?? before.notAFace
  const id = db.transaction(() => {
    if (box)
      prepared(
        db,
        `UPDATE images SET face_x = ?, face_y = ?, face_w = ?, face_h = ?, face_origin = 'edited', crop_sha256 = ?,
          source_path = coalesce(source_path, path), face_index = coalesce(face_index, 0) WHERE id = ?`,
      ).run(box.x, box.y, box.width, box.height, newCrop, edit.imageId)
    prepared(db, 'UPDATE images SET not_a_face = ? WHERE id = ?').run(notAFace ? 1 : 0, edit.imageId)
    return Number(
      prepared(
        db,
        `INSERT INTO face_edits (image_id, old_box, new_box, old_not_a_face, new_not_a_face, old_crop_sha256, new_crop_sha256, who, at, reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        edit.imageId,
        boxJson(before.box),
        boxJson(box ?? before.box),
        before.notAFace ? 1 : 0,
        notAFace ? 1 : 0,
        oldCrop,
        newCrop,
        edit.who,
        Date.now(),
        edit.reason,
      ).lastInsertRowid,
    )
  })()
  const row = prepared<FaceEditRow>(db, 'SELECT * FROM face_edits WHERE id = ?').get(id)!
  return { face: faceDetail(db, edit.imageId), event: faceEventOf(row) }
}
