import type { ImageRow } from '../catalogue/catalogue-rows'

// The face behind each row of a labels or predictions export: the source photo, which face of it,
// its box in the photo's pixels (EXIF orientation applied) and the detector's score. A whole image
// (a dataset of crops) is its own face: index 0, the box the whole image (or the box its dataset
// gave), no score; a box a dataset gave has no score either.

export const FACE_COLUMNS = [
  'source_path',
  'face_index',
  'face_x',
  'face_y',
  'face_width',
  'face_height',
  'face_score',
] as const

export type FaceFields = Pick<
  ImageRow,
  'path' | 'source_path' | 'face_index' | 'face_x' | 'face_y' | 'face_w' | 'face_h' | 'face_score' | 'width' | 'height'
>

/** The columns to select for FaceFields from `images i`. */
export const FACE_FIELDS_SQL =
  'i.source_path, i.face_index, i.face_x, i.face_y, i.face_w, i.face_h, i.face_score, i.width, i.height'

const pixels = (v: number): number => Math.round(v * 10) / 10

/** The FACE_COLUMNS cells of one row. */
export function faceCells(r: FaceFields): (string | number)[] {
  const boxed = r.face_x !== null
  return [
    r.source_path ?? r.path,
    r.face_index ?? 0,
    boxed ? pixels(r.face_x!) : 0,
    boxed ? pixels(r.face_y!) : 0,
    boxed ? pixels(r.face_w!) : r.width,
    boxed ? pixels(r.face_h!) : r.height,
    r.face_score === null ? '' : Math.round(r.face_score * 10000) / 10000,
  ]
}

/** What the sidecar says about the face columns. */
export const FACE_COLUMNS_NOTE: Record<string, string> = {
  source_path: 'the photo the face was cut from (the image itself for a dataset of crops), relative to its dataset',
  face_index: 'which face of the photo, 0 first (best detector score first)',
  'face_x, face_y, face_width, face_height':
    "the face box in the photo's pixels, EXIF orientation applied (the whole image for a dataset of crops)",
  face_score: "the face detector's score; empty where the dataset gave the box or the image is a crop",
}
