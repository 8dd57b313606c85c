import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import type { FaceBox, Landmark } from '../../shared/faces'
import type { FaceModels } from './models'
import type { ScaledPixels } from './photo-pixels'

// The 68 landmarks of each detected face. Each face is cut from the working copy (not the small
// detection copy), so the landmark net sees it at up to its full 112 px input, and the points are
// mapped back to source-photo pixels. As in face-api, the net sees the detector's box clipped to
// the photo, scaled to 112 px on its long side and centred on a black square. The square is made
// here with libvips: given a non-square face, face-api pads it with tensor concatenations that
// cost a fifth of the landmark time on the wasm backend.

/** Input side of face-api's 68-point landmark net. */
const LANDMARK_INPUT = 112

interface FaceCut {
  /** Where the net's 112 px square starts, in working-copy pixels, and working pixels per square pixel. */
  x: number
  y: number
  scaleX: number
  scaleY: number
  tensor: tf.Tensor3D
}

async function cutFace(pixels: ScaledPixels, box: FaceBox): Promise<FaceCut | null> {
  const x = Math.max(0, Math.floor(box.x * pixels.scaleX))
  const y = Math.max(0, Math.floor(box.y * pixels.scaleY))
  const width = Math.min(pixels.width, Math.ceil((box.x + box.width) * pixels.scaleX)) - x
  const height = Math.min(pixels.height, Math.ceil((box.y + box.height) * pixels.scaleY)) - y
  if (width < 2 || height < 2) return null
  const scale = Math.max(width, height) / LANDMARK_INPUT
  const scaledWidth = Math.max(1, Math.round(width / scale))
  const scaledHeight = Math.max(1, Math.round(height / scale))
  const left = Math.floor((LANDMARK_INPUT - scaledWidth) / 2)
  const top = Math.floor((LANDMARK_INPUT - scaledHeight) / 2)
  const data = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
    .extract({ left: x, top: y, width, height })
    .resize(scaledWidth, scaledHeight, { fit: 'fill' })
    .extend({ left, top, right: LANDMARK_INPUT - scaledWidth - left, bottom: LANDMARK_INPUT - scaledHeight - top, background: '#000000' })
    .raw()
    .toBuffer()
  const tensor = tf.tensor3d(data, [LANDMARK_INPUT, LANDMARK_INPUT, 3], 'int32')
  const scaleX = width / scaledWidth
  const scaleY = height / scaledHeight
  return { x: x - left * scaleX, y: y - top * scaleY, scaleX, scaleY, tensor }
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
      const x = cut.x + points[i] * LANDMARK_INPUT * cut.scaleX
      const y = cut.y + points[i + 1] * LANDMARK_INPUT * cut.scaleY
      out.push([x / pixels.scaleX, y / pixels.scaleY])
    }
    return out
  })
}
