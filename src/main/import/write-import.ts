import type { Database } from 'better-sqlite3'
import type { Split } from '../../shared/contract'
import { classIndex } from '../catalogue/classes'
import type { LabelEntry, VideoSource } from './record'
import type { FaceBox, Landmark } from '../../shared/faces'
import { storedIntensity } from '../../shared/intensity'
import type { FaceStep } from './faces/face-mode'
import { importedCodings } from '../coders/imported-codings'

/** A face cut from the item's source photo: where it is, how it was found, its crop in the cache. */
export interface PendingFace {
  /** The source photo, relative to the dataset root. */
  sourcePath: string
  index: number
  origin: 'detected' | 'dataset'
  box: FaceBox
  score?: number
  landmarks?: Landmark[]
  cropSha256: string
  /** The frame of the video (`sourcePath`) the face was found in; `index` is then its track. */
  frame?: number
}

export interface PendingImage {
  /** The item's name in its dataset: the file, or `<file>#face<N>` for a detected face. */
  path: string
  sha256: string
  /** The source photo's size (EXIF orientation applied for faces). */
  width: number
  height: number
  split: Split
  labels: Record<string, LabelEntry>
  faceBox?: FaceBox
  attributes?: Record<string, number>
  /** A video frame: its video (`videoPath` relative to the dataset folder), number from 1 and time in seconds. */
  frame?: { video: VideoSource; videoPath: string; number: number; time: number }
  /** Where the image was read from (absolute; none for a video frame), and the record it came from, for the report. */
  file?: string
  at: { file: string; row?: number }
  /** What happens to it before it is written (import/faces/face-items.ts). */
  step: FaceStep
  face?: PendingFace
}

export interface ImportWrite {
  existingId: number | null
  dataset: { name: string; root: string; format: string; options: Record<string, unknown>; multiLabel: boolean }
  labelSpace: string[]
  images: PendingImage[]
  setBy: string
}

const round2 = (v: number): number => Math.round(v * 100) / 100

/**
 * Writes one import in a single transaction: the dataset (if new), its label space (the declared
 * one plus any class a record labels), images and their known labels, each also the coding of the
 * import's annotator (coders/imported-codings.ts). Unknown labels get no row.
 */
export function writeImport(db: Database, write: ImportWrite, now = Date.now()): { datasetId: number; labels: number } {
  const classes = classIndex(db)
  const insertDataset = db.prepare(
    'INSERT INTO datasets (name, root, format, options, multi_label, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const insertSpace = db.prepare('INSERT OR IGNORE INTO dataset_classes (dataset_id, class_id) VALUES (?, ?)')
  const insertImage =
    db.prepare(`INSERT INTO images (dataset_id, path, sha256, width, height, split, face_x, face_y, face_w, face_h, attributes,
      video_id, frame, frame_time, source_path, face_index, face_origin, face_score, face_landmarks, crop_sha256,
      source_kind, source_frame)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const videoId = videoIds(db, now)
  const insertLabel = db.prepare(
    'INSERT INTO labels (image_id, class_id, value, intensity, soft, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  return db.transaction(() => {
    const d = write.dataset
    const datasetId =
      write.existingId ??
      Number(
        insertDataset.run(d.name, d.root, d.format, JSON.stringify(d.options), d.multiLabel ? 1 : 0, now)
          .lastInsertRowid,
      )
    const space = new Set(write.labelSpace)
    for (const image of write.images) for (const code of Object.keys(image.labels)) space.add(code)
    for (const code of space) insertSpace.run(datasetId, classes.id(code))
    const coding = importedCodings(db, write.setBy, now)
    let labels = 0
    for (const image of write.images) {
      const face = image.face
      const box = face?.box ?? image.faceBox
      const imageId = insertImage.run(
        datasetId,
        image.path,
        image.sha256,
        image.width,
        image.height,
        image.split,
        box?.x ?? null,
        box?.y ?? null,
        box?.width ?? null,
        box?.height ?? null,
        image.attributes && Object.keys(image.attributes).length ? JSON.stringify(image.attributes) : null,
        image.frame ? videoId(datasetId, image.frame) : null,
        image.frame?.number ?? null,
        image.frame?.time ?? null,
        face?.sourcePath ?? null,
        face?.index ?? null,
        face?.origin ?? 'whole',
        face?.score ?? null,
        face?.landmarks ? JSON.stringify(face.landmarks.map(([x, y]) => [round2(x), round2(y)])) : null,
        face?.cropSha256 ?? null,
        face?.frame !== undefined ? 'frame' : 'photo',
        face?.frame ?? null,
      ).lastInsertRowid
      for (const [code, label] of Object.entries(image.labels)) {
        const intensity = storedIntensity(label.value, label.intensity)
        insertLabel.run(imageId, classes.id(code), label.value, intensity, label.soft ?? null, write.setBy, now)
        coding(Number(imageId), classes.id(code), label.value, intensity)
        labels++
      }
    }
    return { datasetId, labels }
  })()
}

/** The id of a frame's video row in the dataset, added the first time one of its frames is written. */
function videoIds(db: Database, now: number): (datasetId: number, frame: NonNullable<PendingImage['frame']>) => number {
  const known = new Map<string, number>()
  const find = db.prepare<[number, string], { id: number }>('SELECT id FROM videos WHERE dataset_id = ? AND path = ?')
  const insert =
    db.prepare(`INSERT INTO videos (dataset_id, path, sha256, width, height, fps, native_fps, frames, duration, codec, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  return (datasetId, { video: v, videoPath }) => {
    const key = `${datasetId}\0${videoPath}`
    let id = known.get(key) ?? find.get(datasetId, videoPath)?.id
    id ??= Number(
      insert.run(
        datasetId,
        videoPath,
        v.sha256,
        v.width,
        v.height,
        v.fps,
        v.nativeFps,
        v.frames,
        v.duration,
        v.codec,
        now,
      ).lastInsertRowid,
    )
    known.set(key, id)
    return id
  }
}
