import { intensityCell } from '../../shared/intensity'
import type { LabelClass, LabelValue } from '../../shared/labels'
import type { CsvCell } from './csv-file'

// OpenFace's CSV layout, the one place its names and order live, for every export that writes it
// (the labels export's `--columns openface`, `affect export frames`): a researcher joins our file
// with OpenFace's or Py-Feat's output on `frame`. As OpenFace's RecorderCSV writes them: a video
// frame's `frame, face_id, timestamp, confidence, success` (a still image's `face, confidence`),
// then `AU01_r`... and `AU01_c`... zero-padded in AU order. People coded these labels, so the
// tracker's confidence and success are left empty and each row is one face (0).

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

/** A video frame's OpenFace columns: its number (from 1), face 0, its time, no tracker's confidence or success. */
export const openFaceFrameCells = (frame: number | null, time: number | null): CsvCell[] => [
  frame ?? '',
  0,
  seconds(time),
  '',
  '',
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
  face_id: 'the face in the frame (0: one face per image)',
  face: 'the face in a still image (0: one face per image), as OpenFace FaceLandmarkImg writes it',
  timestamp: 'seconds into the video for a frame the video import decoded; empty otherwise',
  'confidence, success': 'OpenFace tracking columns: empty, since people coded these labels, not a tracker',
  'AU<nn>_r':
    "FACS intensity as OpenFace names it (but coded by people, in whole FACS levels): 0 absent, 1-5 = A-E (1 beside AU<nn>_c 0: a dataset's trace), empty unknown or not coded",
  'AU<nn>_c': '1 present, 0 absent, empty unknown',
}
