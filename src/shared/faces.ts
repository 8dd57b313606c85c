import { z } from 'zod'

// Faces found in photographs: what the face finder returns for each photo, and the options it takes.
// Coordinates are pixels of the source photo as a person sees it, i.e. after its EXIF orientation
// is applied ("upright"), with (0, 0) at the top-left corner.

/** Photos above this many pixels are refused from their header, never decoded (a 100 MP RGB image is 300 MB raw). */
export const MAX_PHOTO_MEGAPIXELS = 100

export const FACE_BACKENDS = ['auto', 'native', 'wasm', 'cpu'] as const
export type FaceBackendChoice = (typeof FACE_BACKENDS)[number]

export const FaceFinderOptionsSchema = z.object({
  /** Detector score below which a candidate is not a face. face-api's default is 0.5; profiles can score near 0.3. */
  minConfidence: z.number().min(0.05).max(0.99).default(0.5),
  /** At most this many faces per photo (the best scoring). */
  maxFaces: z.number().int().min(1).max(500).default(100),
  /** Long side of the copy the detector sees, in pixels (the SSD network was trained at 512). */
  detectionSize: z.number().int().min(128).max(1024).multipleOf(32).default(512),
  /**
   * Long side of the copy that landmarks and crops are taken from: photos larger than this are
   * decoded at this size. 2048 keeps every face the detector can find at 512 px above 100 px.
   */
  workingSize: z.number().int().min(256).max(8192).default(2048),
  /** Side of the aligned face crop, in pixels. */
  cropSize: z.number().int().min(16).max(1024).default(128),
  /** Space added around the face on each side of the crop, as a fraction of the face's size. */
  margin: z.number().min(0).max(1).default(0.15),
  /** Make the aligned crops (PNG bytes); false finds boxes and landmarks only. */
  crops: z.boolean().default(true),
  /** Where the networks run: 'auto' tries tfjs-node (native CPU), then WebAssembly, then plain JavaScript. */
  backend: z.enum(FACE_BACKENDS).default('auto'),
})
export type FaceFinderOptions = z.infer<typeof FaceFinderOptionsSchema>
export type FaceFinderOptionsInput = z.input<typeof FaceFinderOptionsSchema>

/** A rectangle in source-photo pixels. */
export interface FaceBox {
  x: number
  y: number
  width: number
  height: number
}

/** One landmark, [x, y] in source-photo pixels. */
export type Landmark = [x: number, y: number]

/** The 68-point layout (iBUG 300-W): indices of each part. */
export const LANDMARKS_68 = {
  jaw: [0, 16],
  rightBrow: [17, 21],
  leftBrow: [22, 26],
  nose: [27, 35],
  /** The eye on the image's left (the subject's right eye). */
  imageLeftEye: [36, 41],
  /** The eye on the image's right (the subject's left eye). */
  imageRightEye: [42, 47],
  mouth: [48, 67],
} as const

export interface FoundFace {
  /** Position of this face in its photo's list, best detector score first. */
  index: number
  box: FaceBox
  /** The detector's confidence, 0 to 1. */
  score: number
  /** 68 points in the iBUG layout (LANDMARKS_68). */
  landmarks: Landmark[]
  /** The eyes-aligned square crop as PNG bytes (absent when options.crops is false). */
  crop?: Uint8Array
}

export const PHOTO_PROBLEMS = ['no_face', 'missing', 'empty', 'too_large', 'unreadable'] as const
export type PhotoProblemCode = (typeof PHOTO_PROBLEMS)[number]

/** Why a photo gave no faces; the message names the file. */
export interface PhotoProblem {
  code: PhotoProblemCode
  message: string
}

/** What the face finder says about one photo: its faces, or why there are none. */
export type PhotoFaces =
  | { path: string; ok: true; width: number; height: number; faces: FoundFace[] }
  | { path: string; ok: false; problem: PhotoProblem }

/** Where the face finder's networks run, and why there (each backend tried, with its reason). */
export interface FaceBackendReport {
  name: Exclude<FaceBackendChoice, 'auto'>
  tried: { backend: Exclude<FaceBackendChoice, 'auto'>; available: boolean; reason: string }[]
}

export interface FaceFinderProgress {
  /** Photos handled so far (with faces or not). */
  done: number
  total: number
  /** Faces found so far. */
  faces: number
  photosPerSecond: number
  etaSeconds: number
  /** The photo just handled. */
  path: string
}
