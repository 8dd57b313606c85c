import { intensityCell } from '../../shared/intensity'
import type { LabelClass, LabelValue } from '../../shared/labels'
import type { CsvCell } from './csv-file'

// OpenFace's CSV layout, the one place its names and order live, for every export that writes it
// (the labels export's `--columns openface`, `affect export frames`): a researcher joins our file
// with OpenFace's or Py-Feat's output on `frame`. As OpenFace's RecorderCSV writes them: a video
// frame's `frame, face_id, timestamp, confidence, success` (a still image's `face, confidence`),
// then `AU01_r`... and `AU01_c`... zero-padded in AU order. People coded these labels: a frame kept
// whole is one face (0) with the tracker's confidence and success left empty; a face the face
// finder found in a frame is its track, with the detector's score and success 1.

/** A known label as the exports read it. */
export interface KnownLabel {
  value: LabelValue
  intensity: number | null
}

export interface AuColumn {
  code: string
  header: string
  cell: (label: KnownLabel | undefined) => CsvCell
}

/** 1 present, 0 absent, empty unknown. */
export const presenceCell = (l: KnownLabel | undefined): CsvCell => l?.value ?? ''
/** 0 absent, 1-5 = A-E (1 beside an absent AU: a dataset's trace), empty unknown or not coded. */
export const intensityOf = (l: KnownLabel | undefined): CsvCell =>
  intensityCell(l?.value ?? null, l?.intensity ?? null) ?? ''

/** OpenFace's name of an AU: 1 -> AU01. */
export const openFaceAu = (auNumber: number): string => `AU${String(auNumber).padStart(2, '0')}`

export const OPENFACE_FRAME_COLUMNS = ['frame', 'face_id', 'timestamp', 'confidence', 'success']
export const OPENFACE_STILL_COLUMNS = ['face', 'confidence']

/** Seconds as OpenFace's timestamp column holds them (to 0.1 ms). */
const seconds = (t: number | null): CsvCell => (t === null ? '' : Number(t.toFixed(4)))

/** Which face of a frame a row is: the face finder's track and score, or nulls for a frame kept whole. */
export interface FrameFace {
  face_index: number | null
  face_score: number | null
}

/**
 * A video frame's OpenFace columns: its number (from 1), the face (its track through the video when
 * the face finder found it, else 0), its time, and the tracker's confidence and success: the
 * detector's score and 1 for a face found, empty for a frame kept whole (people coded it).
 */
export const openFaceFrameCells = (
  frame: number | null,
  time: number | null,
  face: FrameFace = { face_index: null, face_score: null },
): CsvCell[] => [
  frame ?? '',
  face.face_index ?? 0,
  seconds(time),
  face.face_score ?? '',
  face.face_score === null ? '' : 1,
]
/** A still image's: face 0, no detector's confidence. */
export const openFaceStillCells = (): CsvCell[] => [0, '']

/** The AU columns of `aus`: every `AU<nn>_r`, then every `AU<nn>_c`, in AU number order. */
export function openFaceAuColumns(aus: readonly LabelClass[]): AuColumn[] {
  const sorted = aus.filter((c) => c.kind === 'au').sort((a, b) => (a.auNumber ?? 0) - (b.auNumber ?? 0))
  return [
    ...sorted.map((c) => ({ code: c.code, header: `${openFaceAu(c.auNumber ?? 0)}_r`, cell: intensityOf })),
    ...sorted.map((c) => ({ code: c.code, header: `${openFaceAu(c.auNumber ?? 0)}_c`, cell: presenceCell })),
  ]
}

/** What the sidecar of an OpenFace-layout file says about these columns. */
export const OPENFACE_COLUMN_NOTES: Record<string, string> = {
  frame:
    "video frames: the frame number (from 1) of an imported video, or the number the label files of an extracted-frame dataset (DISFA, BP4D, CK+ sequences) use, to join with OpenFace's frame; empty for still images",
  face_id: 'the face in the frame: its track through the video when faces were searched, else 0 (the whole frame)',
  face: 'the face in a still image (0: one face per image), as OpenFace FaceLandmarkImg writes it',
  timestamp: 'seconds into the video for a frame the video import decoded; empty otherwise',
  'confidence, success':
    "OpenFace tracking columns: the face detector's score and 1 for a face found in the frame; empty for a frame kept whole, since people coded it, not a tracker",
  'AU<nn>_r':
    "FACS intensity as OpenFace names it (but coded by people, in whole FACS levels): 0 absent, 1-5 = A-E (1 beside AU<nn>_c 0: a dataset's trace), empty unknown or not coded",
  'AU<nn>_c': '1 present, 0 absent, empty unknown',
}
