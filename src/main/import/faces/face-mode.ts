import type { FaceMode, ImportFormat } from '../../../shared/contract'
import type { FaceBox } from '../../../shared/faces'

// Which way an imported image becomes catalogue items. A face box the dataset gives is always
// honoured (unless the user asked for whole images); `auto` then goes by the format: formats of
// full frames and photographs are searched for faces, formats that ship aligned crops are kept whole.

/** What happens to one imported image: searched for faces, cut by its own box, or kept whole. */
export type FaceStep = 'detect' | 'box' | 'whole'

/** Formats whose images are already aligned face crops (`auto` keeps them whole). */
const CROP_FORMATS: ReadonlySet<ImportFormat> = new Set(['fer2013', 'ferplus', 'rafdb', 'sfew'])

/** The step for an image of `format` under `mode`, or why it is not imported (boxes asked, none given). */
export function faceStepOf(
  mode: FaceMode,
  format: ImportFormat,
  faceBox: FaceBox | undefined,
): FaceStep | { reason: 'no face box'; detail: string } {
  if (mode === 'whole') return 'whole'
  if (faceBox) return 'box'
  if (mode === 'boxes')
    return { reason: 'no face box', detail: 'the dataset gives no face box for this image (--faces boxes)' }
  if (mode === 'detect') return 'detect'
  return CROP_FORMATS.has(format) ? 'whole' : 'detect'
}
