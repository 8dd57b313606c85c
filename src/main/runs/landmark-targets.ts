import { WorkbenchError } from '../../shared/errors'
import type { Landmark } from '../../shared/faces'
import { LANDMARK_VALUES } from '../../shared/metrics/landmark-error'
import type { ImageRow } from '../catalogue/catalogue-rows'
import { alignedCropPoints, boxCropPoints, cropLandmarks, wholeImagePoints } from '../faces/landmarks-in-crop'
import type { SnapshotLandmarks } from '../trainer/data/snapshot'

// The landmark targets of a run that learns them: each image's stored 68 points moved into the
// crop the network sees (faces/landmarks-in-crop.ts), or unknown. Known where the face finder
// found them (a detected face), a dataset gave them with its box, or the demo generator drew them
// (a whole image). Unknown for a box a coder moved (the points were found for the old box, and a
// box is moved because the finder was wrong) and for video frames (never searched: no points).

export type FaceOfImage = Pick<
  ImageRow,
  'width' | 'height' | 'face_origin' | 'face_landmarks' | 'face_x' | 'face_y' | 'face_w' | 'face_h' | 'video_id'
>

/** The columns of FaceOfImage, for a query on `images i`. */
export const FACE_COLUMNS =
  'i.width, i.height, i.face_origin, i.face_landmarks, i.face_x, i.face_y, i.face_w, i.face_h, i.video_id'

/** The image's landmarks in its crop (136 values), or null when unknown. */
export function landmarksInCrop(r: FaceOfImage): Float32Array | null {
  if (!r.face_landmarks || r.video_id !== null) return null
  const points = JSON.parse(r.face_landmarks) as Landmark[]
  if (points.length * 2 !== LANDMARK_VALUES) return null
  switch (r.face_origin) {
    case 'detected':
      return cropLandmarks(points, alignedCropPoints(points))
    case 'dataset':
      if (r.face_x === null) return null
      return cropLandmarks(points, boxCropPoints({ x: r.face_x, y: r.face_y!, width: r.face_w!, height: r.face_h! }))
    case 'whole':
      return cropLandmarks(points, wholeImagePoints(r.width, r.height))
    case 'edited':
      return null
  }
}

/** Collects the targets row by row as a snapshot is built. */
export class LandmarkTargets {
  private readonly rows: (Float32Array | null)[] = []

  add(r: FaceOfImage): void {
    this.rows.push(landmarksInCrop(r))
  }

  /** The snapshot's landmarks; a clear error when no image of the run has any. */
  finish(datasets: string[]): SnapshotLandmarks {
    const known = Uint8Array.from(this.rows, (r) => (r ? 1 : 0))
    if (!known.includes(1))
      throw new WorkbenchError(
        'invalid_arguments',
        `No image of ${datasets.join(', ')} has facial landmarks, so the run cannot learn them: import photos with face search (--faces detect) or use the demo datasets, or train without landmarks.`,
        { field: 'landmarks' },
      )
    const points = new Float32Array(this.rows.length * LANDMARK_VALUES)
    this.rows.forEach((r, i) => r && points.set(r, i * LANDMARK_VALUES))
    return { points, known }
  }
}
