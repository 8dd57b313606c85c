import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import type { FaceBox, Landmark } from '../../shared/faces'
import { LANDMARK_INPUT, landmarkNet } from './landmark-net'
import type { FaceModels } from './models'
import type { ScaledPixels } from './photo-pixels'

// The 68 landmarks of each detected face. Each face is cut from the working copy (not the small
// detection copy), so the landmark net sees it at up to its full 112 px input, and the points are
// mapped back to source-photo pixels. As in face-api, the net sees the detector's box clipped to
// the photo, scaled to 112 px on its long side and centred on a black square. The square is made
// here with libvips: given a non-square face, face-api pads it with tensor concatenations that
// cost a fifth of the landmark time on the wasm backend. All faces of a photo go through the net
// as one batch.

interface FaceCut {
  /** Where the net's 112 px square starts, in working-copy pixels, and working pixels per square pixel. */
  x: number
  y: number
  scaleX: number
  scaleY: number
  /** The 112 x 112 RGB square. */
  pixels: Buffer
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
    .extend({
      left,
      top,
      right: LANDMARK_INPUT - scaledWidth - left,
      bottom: LANDMARK_INPUT - scaledHeight - top,
      background: '#000000',
    })
    .raw()
    .toBuffer()
  const scaleX = width / scaledWidth
  const scaleY = height / scaledHeight
  return { x: x - left * scaleX, y: y - top * scaleY, scaleX, scaleY, pixels: data }
}

/** The net's relative points for each cut, from one batch. */
async function runNet(models: FaceModels, cuts: FaceCut[]): Promise<Float32Array> {
  if (cuts.length === 0) return new Float32Array(0)
  const side = LANDMARK_INPUT * LANDMARK_INPUT * 3
  const batch = new Uint8Array(cuts.length * side)
  cuts.forEach((cut, i) => batch.set(cut.pixels, i * side))
  const input = tf.tensor4d(batch, [cuts.length, LANDMARK_INPUT, LANDMARK_INPUT, 3], 'int32')
  const output = landmarkNet(models.landmarks, input)
  try {
    return (await output.data()) as Float32Array
  } finally {
    tf.dispose([input, output])
  }
}

/** Landmarks of each box (source pixels), or null for a box with no area inside the photo. */
export async function findLandmarks(
  models: FaceModels,
  pixels: ScaledPixels,
  boxes: FaceBox[],
): Promise<(Landmark[] | null)[]> {
  const cuts = await Promise.all(boxes.map((box) => cutFace(pixels, box)))
  const present = cuts.filter((cut): cut is FaceCut => cut !== null)
  const relative = await runNet(models, present)
  return cuts.map((cut) => {
    if (!cut) return null
    const offset = present.indexOf(cut) * 136
    const out: Landmark[] = []
    for (let i = 0; i < 68; i++) {
      const x = cut.x + relative[offset + 2 * i] * LANDMARK_INPUT * cut.scaleX
      const y = cut.y + relative[offset + 2 * i + 1] * LANDMARK_INPUT * cut.scaleY
      out.push([x / pixels.scaleX, y / pixels.scaleY])
    }
    return out
  })
}
