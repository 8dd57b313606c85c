import { FaceFinderOptionsSchema, type FaceBox, type Landmark } from '../../shared/faces'
import { LANDMARK_VALUES } from '../../shared/metrics/landmark-error'
import { eyeCentres, FACE_CENTRE_BELOW_EYES_IN_IOD, FACE_SIDE_IN_IOD } from './alignment'

// A face's landmarks (source-photo pixels, as stored) where the network sees them: as fractions of
// the square crop it is trained on (0 left or top, 1 right or bottom), whatever the input size,
// since the crop is only scaled to it. The crop is the one the import cut: eyes-aligned for a
// detected face (alignment.ts alignedCropPlan), the squared box with margin for a dataset's box
// (boxCropPlan), the image itself, centre-cropped to a square, for a whole image (trainer/data/decode.ts).

/** The margin crops are cut with (the face finder's default; the import does not change it). */
const MARGIN = FaceFinderOptionsSchema.parse({}).margin

type ToCrop = (point: Landmark) => Landmark

/** Into the eyes-aligned crop of these landmarks: turn the eye line level about the crop's centre, scale to the crop's side. */
export function alignedCropPoints(landmarks: Landmark[], margin = MARGIN): ToCrop {
  const [left, right] = eyeCentres(landmarks)
  const iod = Math.hypot(right.x - left.x, right.y - left.y)
  if (!(iod > 0)) throw new Error('the two eye centres coincide: the face has no aligned crop')
  const angle = Math.atan2(right.y - left.y, right.x - left.x)
  const [c, s] = [Math.cos(angle), Math.sin(angle)]
  const side = iod * FACE_SIDE_IN_IOD * (1 + 2 * margin)
  const below = FACE_CENTRE_BELOW_EYES_IN_IOD * iod
  const centre = { x: (left.x + right.x) / 2 - below * s, y: (left.y + right.y) / 2 + below * c }
  return ([x, y]) => {
    const dx = x - centre.x
    const dy = y - centre.y
    return [0.5 + (dx * c + dy * s) / side, 0.5 + (-dx * s + dy * c) / side]
  }
}

/** Into the crop of a face box a dataset gave: the box squared about its centre, with margin. */
export function boxCropPoints(box: FaceBox, margin = MARGIN): ToCrop {
  const side = Math.max(box.width, box.height) * (1 + 2 * margin)
  const left = box.x + box.width / 2 - side / 2
  const top = box.y + box.height / 2 - side / 2
  return ([x, y]) => [(x - left) / side, (y - top) / side]
}

/** Into a whole image as decoding scales it: the short side fills the input, the long one is centre-cropped. */
export function wholeImagePoints(width: number, height: number): ToCrop {
  const side = Math.min(width, height)
  return ([x, y]) => [(x - (width - side) / 2) / side, (y - (height - side) / 2) / side]
}

/** The 136 values x0, y0, x1, y1... of 68 points moved into the crop. */
export function cropLandmarks(landmarks: Landmark[], toCrop: ToCrop): Float32Array {
  if (landmarks.length * 2 !== LANDMARK_VALUES)
    throw new Error(`expected ${LANDMARK_VALUES / 2} landmarks, got ${landmarks.length}`)
  const out = new Float32Array(LANDMARK_VALUES)
  landmarks.forEach((point, i) => out.set(toCrop(point), 2 * i))
  return out
}
