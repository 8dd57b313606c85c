import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import type { FaceBox, Landmark } from '../../shared/faces'
import type { FaceModels } from './models'
import type { ScaledPixels } from './photo-pixels'

// The 68 landmarks of each detected face. Each face is cut from the working copy (not the small
// detection copy), so the landmark net sees it at up to its full 112 px input, and the points are
// mapped back to source-photo pixels. As in face-api, the net sees the detector's box clipped to
// the photo.

/** Input side of face-api's 68-point landmark net. */
const LANDMARK_INPUT = 112

interface FaceCut {
  /** The region cut, in working-copy pixels. */
  x: number
  y: number
  width: number
  height: number
  tensor: tf.Tensor3D
}

async function cutFace(pixels: ScaledPixels, box: FaceBox): Promise<FaceCut | null> {
  const x = Math.max(0, Math.floor(box.x * pixels.scaleX))
  const y = Math.max(0, Math.floor(box.y * pixels.scaleY))
  const width = Math.min(pixels.width, Math.ceil((box.x + box.width) * pixels.scaleX)) - x
  const height = Math.min(pixels.height, Math.ceil((box.y + box.height) * pixels.scaleY)) - y
  if (width < 2 || height < 2) return null
  const { data, info } = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
    .extract({ left: x, top: y, width, height })
    .resize(LANDMARK_INPUT, LANDMARK_INPUT, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { x, y, width, height, tensor: tf.tensor3d(data, [info.height, info.width, 3], 'int32') }
}

/** Landmarks of each box (source pixels), or null for a box with no area inside the photo. */
export async function findLandmarks(models: FaceModels, pixels: ScaledPixels, boxes: FaceBox[]): Promise<(Landmark[] | null)[]> {
  const cuts = await Promise.all(boxes.map((box) => cutFace(pixels, box)))
  const present = cuts.filter((cut): cut is FaceCut => cut !== null)
  let relative: Float32Array[]
  try {
    relative = await models.landmarks(present.map((cut) => cut.tensor))
  } finally {
    tf.dispose(present.map((cut) => cut.tensor))
  }
  return cuts.map((cut) => {
    if (!cut) return null
    const points = relative[present.indexOf(cut)]
    const out: Landmark[] = []
    for (let i = 0; i < points.length; i += 2) {
      out.push([(cut.x + points[i] * cut.width) / pixels.scaleX, (cut.y + points[i + 1] * cut.height) / pixels.scaleY])
    }
    return out
  })
}
