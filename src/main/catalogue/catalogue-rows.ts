import type { ImageSummary, ReviewStatus, Split } from '../../shared/contract'
import type { FaceBox } from '../../shared/faces'
import type { ClassKind, LabelClass, LabelValue } from '../../shared/labels'

// The catalogue's tables as SQLite returns their rows (snake_case; migrations 0001, 0003, 0005),
// and their mapping to the contract's types. A query types its rows as a Pick of these (joined with
// another table's columns where it joins), so no query re-declares a row. Labels and their history:
// labels/label-rows.ts; runs and predictions: runs/run-rows.ts.

/** classes: the union label space, in display order (position). */
export interface ClassRow {
  id: number
  code: string
  kind: ClassKind
  name: string
  description: string
  au_number: number | null
  position: number
}

export const labelClassOf = (
  r: Pick<ClassRow, 'code' | 'kind' | 'name' | 'description' | 'au_number'>,
): LabelClass => ({
  code: r.code,
  kind: r.kind,
  name: r.name,
  description: r.description,
  ...(r.au_number !== null ? { auNumber: r.au_number } : {}),
})

/** datasets: where a dataset is read from (a stored path, workspace/stored-paths.ts) and how. `options` is JSON. */
export interface DatasetRow {
  id: number
  name: string
  root: string
  format: string
  options: string
  created_at: number
  multi_label: 0 | 1
}

/** The reader options an import kept with its dataset (`options` of a datasets row). */
export interface DatasetOptions {
  source?: string
  reader?: unknown
}

export const datasetOptionsOf = (r: Pick<DatasetRow, 'options'>): DatasetOptions =>
  JSON.parse(r.options) as DatasetOptions

/** dataset_classes: the label space L^k of a dataset. */
export interface DatasetClassRow {
  dataset_id: number
  class_id: number
}

/** images: one face image of a dataset; its path is relative to the dataset's root. */
export interface ImageRow {
  id: number
  dataset_id: number
  path: string
  sha256: string
  width: number
  height: number
  split: Split
  face_x: number | null
  face_y: number | null
  face_w: number | null
  face_h: number | null
  review_status: ReviewStatus
  note: string
  attributes: string | null
  /** A video frame's video (migration 0010), its number from 1 and its time in seconds; NULL for a still image. */
  video_id: number | null
  frame: number | null
  frame_time: number | null
  /** Faces (migration 0006): see db/migrations/0006-faces.ts. */
  source_path: string | null
  source_kind: 'photo' | 'frame'
  source_frame: number | null
  face_index: number | null
  face_origin: 'whole' | 'detected' | 'dataset' | 'edited'
  face_score: number | null
  face_landmarks: string | null
  crop_sha256: string | null
  not_a_face: 0 | 1
}

/** An image as the grid and the label view list it: its row with its dataset's name. */
export type ImageListRow = Pick<
  ImageRow,
  'id' | 'dataset_id' | 'path' | 'split' | 'width' | 'height' | 'review_status'
> & { dataset: DatasetRow['name'] }

/** The columns of an ImageListRow, for `SELECT ... FROM images i JOIN datasets d ON d.id = i.dataset_id`. */
export const IMAGE_LIST_COLUMNS =
  'i.id, i.dataset_id, d.name AS dataset, i.path, i.split, i.width, i.height, i.review_status'

export const imageSummaryOf = (r: ImageListRow, labels: Record<string, LabelValue>): ImageSummary => ({
  id: r.id,
  datasetId: r.dataset_id,
  dataset: r.dataset,
  path: r.path,
  split: r.split,
  width: r.width,
  height: r.height,
  reviewStatus: r.review_status,
  labels,
})

/** The face box of an image, when its dataset gave one (imports set the four columns together). */
export const faceBoxOf = (r: Pick<ImageRow, 'face_x' | 'face_y' | 'face_w' | 'face_h'>): FaceBox | null =>
  r.face_x === null ? null : { x: r.face_x, y: r.face_y!, width: r.face_w!, height: r.face_h! }

/** image_counts: images per dataset, split and review status, kept exact by triggers. */
export interface ImageCountRow {
  dataset_id: number
  split: Split
  review_status: ReviewStatus
  n: number
}

/** label_counts: known labels per dataset, split, class and value, kept exact by triggers. */
export interface LabelCountRow {
  dataset_id: number
  split: Split
  class_id: number
  value: LabelValue
  n: number
}
