import type { DatasetRow } from '../catalogue/catalogue-rows'

// Frames of datasets that ship extracted frames (DISFA, BP4D, CK+ sequences) for the OpenFace layout
// of the labels export: their images are files named by number, the number their label files use
// (DISFA's label frame = image number - frameOffset). Frames the video import decodes carry their
// number and time in the catalogue instead (images.frame, images.frame_time).

const FRAME_FORMATS = new Set(['disfa', 'bp4d', 'ckplus'])

/** Whether a dataset's images are video frames. */
export const isFrameDataset = (format: DatasetRow['format']): boolean => FRAME_FORMATS.has(format)

/** The frame number of an image of a frame dataset (the last number in its file name), or null. */
export function frameNumberOf(format: string, options: string, path: string): number | null {
  if (!isFrameDataset(format)) return null
  const digits = /(\d+)\D*$/.exec(path.split(/[\\/]/).pop() ?? '')
  if (!digits) return null
  return Number(digits[1]) - (format === 'disfa' ? frameOffsetOf(options) : 0)
}

function frameOffsetOf(options: string): number {
  try {
    const offset = (JSON.parse(options) as { frameOffset?: unknown }).frameOffset
    return typeof offset === 'number' && Number.isInteger(offset) ? offset : 0
  } catch {
    return 0
  }
}
