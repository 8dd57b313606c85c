import { LANDMARKS_68, type FaceBox, type Landmark } from '../../shared/faces'

// Where an aligned face crop comes from: a similarity transform (scale, rotation, shift) that
// takes the two eye centres to fixed places of a square template.
//
// The template is in units of the distance between the eye centres (IOD), from the 68 landmarks
// of the 21 faces in face-api's demo photos, the skimage astronaut and Grace Hopper: the jaw is
// 2.2 IOD wide, the brows 0.55 IOD above the eye line, the chin 1.7 IOD below it (2.1 with the jaw
// dropped). A square of 2.4 IOD centred 0.6 IOD below the eye line holds brows to chin and cheek to
// cheek; the margin adds space on each side. At the default margin 0.15 the eyes sit at 31 % of
// the crop's height and 35 % of its width apart: brows (AU1, AU2, AU4) and an open jaw (AU26) stay
// inside.

export const FACE_SIDE_IN_IOD = 2.4
export const FACE_CENTRE_BELOW_EYES_IN_IOD = 0.6

export interface Point {
  x: number
  y: number
}

/** Centre of landmarks first..last (inclusive). */
function centroid(landmarks: Landmark[], [first, last]: readonly [number, number]): Point {
  let x = 0
  let y = 0
  for (let i = first; i <= last; i++) {
    x += landmarks[i][0]
    y += landmarks[i][1]
  }
  const n = last - first + 1
  return { x: x / n, y: y / n }
}

/** The eye centres (mean of each eye's six points), the image's left one first. */
export function eyeCentres(landmarks: Landmark[]): [Point, Point] {
  if (landmarks.length !== 68) throw new Error(`expected 68 landmarks, got ${landmarks.length}`)
  return [centroid(landmarks, LANDMARKS_68.imageLeftEye), centroid(landmarks, LANDMARKS_68.imageRightEye)]
}

/**
 * How to cut an axis-aligned crop: the square `region` of the source (pixels; it may reach past
 * the edges, which are padded), scaled to `scaledSide` pixels, rotated by `rotateDegrees`
 * (clockwise), and its central `side` x `side` pixels kept.
 */
export interface CropPlan {
  region: { left: number; top: number; side: number }
  scaledSide: number
  rotateDegrees: number
  side: number
}

/** Where the eye centres land in an aligned crop of `side` pixels. */
export function templateEyes(side: number, margin: number): [Point, Point] {
  const iod = side / (FACE_SIDE_IN_IOD * (1 + 2 * margin))
  const y = side / 2 - FACE_CENTRE_BELOW_EYES_IN_IOD * iod
  return [
    { x: side / 2 - iod / 2, y },
    { x: side / 2 + iod / 2, y },
  ]
}

/** The crop that puts these eyes (source pixels, image-left first) on the template. */
export function alignedCropPlan(leftEye: Point, rightEye: Point, side: number, margin: number): CropPlan {
  const dx = rightEye.x - leftEye.x
  const dy = rightEye.y - leftEye.y
  const iod = Math.hypot(dx, dy)
  if (!(iod > 0)) throw new Error('the two eye centres coincide: cannot align the face')
  const angle = Math.atan2(dy, dx)
  const cropSide = iod * FACE_SIDE_IN_IOD * (1 + 2 * margin)
  // The crop's centre lies below the eye midpoint along the face's own vertical axis.
  const below = FACE_CENTRE_BELOW_EYES_IN_IOD * iod
  const centre = {
    x: (leftEye.x + rightEye.x) / 2 - below * Math.sin(angle),
    y: (leftEye.y + rightEye.y) / 2 + below * Math.cos(angle),
  }
  // The axis-aligned square that holds the tilted crop.
  const regionSide = cropSide * (Math.abs(Math.cos(angle)) + Math.abs(Math.sin(angle)))
  return {
    region: { left: centre.x - regionSide / 2, top: centre.y - regionSide / 2, side: regionSide },
    scaledSide: Math.max(side, Math.round((regionSide * side) / cropSide)),
    // Levels the eye line: a line tilted clockwise by `angle` is turned back anticlockwise.
    rotateDegrees: (-angle * 180) / Math.PI,
    side,
  }
}

/** The crop for a face box given without landmarks (a dataset's own box): squared, with margin, no rotation. */
export function boxCropPlan(box: FaceBox, side: number, margin: number): CropPlan {
  if (!(box.width > 0 && box.height > 0)) throw new Error(`the face box ${box.width} x ${box.height} has no area`)
  const regionSide = Math.max(box.width, box.height) * (1 + 2 * margin)
  return {
    region: {
      left: box.x + box.width / 2 - regionSide / 2,
      top: box.y + box.height / 2 - regionSide / 2,
      side: regionSide,
    },
    scaledSide: side,
    rotateDegrees: 0,
    side,
  }
}
