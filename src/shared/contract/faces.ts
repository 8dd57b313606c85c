import { z } from 'zod'
import { method } from './define'
import { personNameSchema, reasonSchema } from './text'

// Faces as catalogue items (issue 12): what the Label view shows of an item's face, a coder's
// correction of its box or "not a face", and pictures that leak between datasets' splits.

export interface FaceDetail {
  /** The photo the face was cut from, relative to its dataset (the image itself for a whole image). */
  sourcePath: string
  /** 0 first; null for a whole image. */
  index: number | null
  /** 'whole': no box (a dataset of crops); 'detected'; 'dataset': the dataset's own box; 'edited': a coder's. */
  origin: 'whole' | 'detected' | 'dataset' | 'edited'
  /** In the photo's pixels, EXIF orientation applied; null for a whole image. */
  box: { x: number; y: number; width: number; height: number } | null
  score: number | null
  /** The 68 points (iBUG layout) in the photo's pixels; empty unless detected. */
  landmarks: [number, number][]
  notAFace: boolean
  /** The photo's size (the coordinates' frame). */
  photoWidth: number
  photoHeight: number
  /** Faces of the same photo in this dataset. */
  facesInPhoto: number
}

/** One change of a face's box or of "not a face", in the image's history. */
export interface FaceEvent {
  id: number
  imageId: number
  oldBox: FaceDetail['box']
  newBox: FaceDetail['box']
  oldNotAFace: boolean
  newNotAFace: boolean
  who: string
  at: string
  reason: string
}

export interface LeakageReport {
  /** Pictures in a training split of one dataset and a validation or test split of another. */
  pictures: number
  /** The first of them, each with one place on each side (dataset/path). */
  examples: { sha256: string; train: string; heldOut: string }[]
}

const boxSchema = z
  .object({
    x: z.number().finite(),
    y: z.number().finite(),
    width: z.number().finite().positive(),
    height: z.number().finite().positive(),
  })
  .strict()

export const faceMethods = {
  'faces.edit': method<{ face: FaceDetail; event: FaceEvent }>()(
    z
      .object({
        imageId: z.number().int().positive(),
        box: boxSchema.optional(),
        notAFace: z.boolean().optional(),
        who: personNameSchema.optional(),
        reason: reasonSchema.default(''),
      })
      .strict()
      .refine((a) => a.box !== undefined || a.notAFace !== undefined, {
        message: 'Give a new box, or say whether it is a face',
      }),
    "Move or resize a face's box (its crop is cut again) or mark it not a face; recorded in the image's history.",
  ),
  'faces.leakage': method<LeakageReport>()(
    z.object({}).strict(),
    'Pictures that are in a training split of one dataset and a validation or test split of another.',
  ),
} as const
