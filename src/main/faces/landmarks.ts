import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import type { FaceBox, Landmark } from '../../shared/faces'
import { LANDMARK_INPUT, landmarkNet } from './landmark-net'
import type { FaceModels } from './models'
import type { ScaledPixels } from './photo-pixels'
import { bytesTensor } from './pixel-tensor'

// The 68 landmarks of each detected face. Each face is cut from the working copy (not the small
// detection copy), so the landmark net sees it at up to its full 112 px input, and the points are
// mapped back to source-photo pixels. As in face-api, the net sees the detector's box clipped to
// the photo, scaled to 112 px on its long side and centred on a black square. libvips scales the
// face; the square is the face's rows copied into the middle of its zeroed (black) slot of the
// batch: face-api pads a non-square face with tensor concatenations that cost a fifth of the
// landmark time on the wasm backend, and padding in libvips costs a fifth of each cut. All faces
// of a photo go through the net as one batch. The working pixels may be only a part of the
// working copy (photo-region.ts), placed by its `part`.

interface FaceCut {
  /** Where the net's 112 px square starts, in working-copy pixels, and working pixels per square pixel. */
  x: number
  y: number
  scaleX: number
  scaleY: number
  /** The scaled face (RGB, `width` x `height`) and where it sits in the 112 px square. */
  pixels: Buffer
  left: number
  top: number
  width: number
  height: number
}

async function cutFace(pixels: ScaledPixels, box: FaceBox): Promise<FaceCut | null> {
  const origin = pixels.part ?? { left: 0, top: 0 }
  const x = Math.max(0, Math.floor(box.x * pixels.scaleX) - origin.left)
  const y = Math.max(0, Math.floor(box.y * pixels.scaleY) - origin.top)
  const width = Math.min(pixels.width, Math.ceil((box.x + box.width) * pixels.scaleX) - origin.left) - x
  const height = Math.min(pixels.height, Math.ceil((box.y + box.height) * pixels.scaleY) - origin.top) - y
  if (width < 2 || height < 2) return null
  const scale = Math.max(width, height) / LANDMARK_INPUT
  const scaledWidth = Math.max(1, Math.round(width / scale))
  const scaledHeight = Math.max(1, Math.round(height / scale))
  const left = Math.floor((LANDMARK_INPUT - scaledWidth) / 2)
  const top = Math.floor((LANDMARK_INPUT - scaledHeight) / 2)
  const data = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
    .extract({ left: x, top: y, width, height })
    .resize(scaledWidth, scaledHeight, { fit: 'fill' })
    .raw()
    .toBuffer()
  const scaleX = width / scaledWidth
  const scaleY = height / scaledHeight
  return {
    x: origin.left + x - left * scaleX,
    y: origin.top + y - top * scaleY,
    scaleX,
    scaleY,
    pixels: data,
    left,
    top,
    width: scaledWidth,
    height: scaledHeight,
  }
}

/** Copies a scaled face into the middle of its slot (`offset`) of the batch; the rest stays black. */
function placeInSquare(batch: Uint8Array, offset: number, cut: FaceCut): void {
  const row = cut.width * 3
  for (let r = 0; r < cut.height; r++) {
    const to = offset + ((cut.top + r) * LANDMARK_INPUT + cut.left) * 3
    batch.set(cut.pixels.subarray(r * row, (r + 1) * row), to)
  }
}

/** The net's relative points for each cut, from one batch. */
async function runNet(models: FaceModels, cuts: FaceCut[]): Promise<Float32Array> {
  if (cuts.length === 0) return new Float32Array(0)
  const side = LANDMARK_INPUT * LANDMARK_INPUT * 3
  const batch = new Uint8Array(cuts.length * side)
  cuts.forEach((cut, i) => placeInSquare(batch, i * side, cut))
  const input = bytesTensor<tf.Rank.R4>(batch, [cuts.length, LANDMARK_INPUT, LANDMARK_INPUT, 3])
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
