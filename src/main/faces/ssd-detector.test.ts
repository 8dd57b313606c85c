import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectFaceBackend } from './backend'
import { loadFaceModels } from './models'
import { featureMapSizes, ssdAnchors } from './ssd-anchors'
import { buildSsdNet, detect, type Detection, type SsdNet } from './ssd-detector'
import { demoPhoto, fixturePhoto } from './test-photos.fixture'

// The detector must find what face-api itself finds, with face-api's weights: same boxes, same
// scores, whether the photo is wide, tall or square.

type FaceApi = typeof import('@vladmandic/face-api/dist/face-api.node-wasm.js')
const faceapi = createRequire(import.meta.url)('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi

let net: SsdNet
beforeAll(async () => {
  await selectFaceBackend('wasm')
  net = buildSsdNet((await loadFaceModels()).ssd)
})

/** RGB bytes of a photo with its long side at 512, as [height, width, 3]. */
async function at512(path: string, turn = 0): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(path)
    .rotate(turn)
    .resize(512, 512, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** face-api's own SSD-MobileNetV1 detections (it pads the photo to a square). */
async function faceApiDetections(image: { data: Buffer; width: number; height: number }): Promise<Detection[]> {
  const x = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32')
  const found = await faceapi.detectAllFaces(
    x as unknown as Parameters<FaceApi['detectAllFaces']>[0],
    new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 }),
  )
  x.dispose()
  return found.map((d) => ({
    score: d.score,
    box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height },
  }))
}

/** Ours, on the photo padded at the right and bottom to multiples of 32 (as decodePhoto does). */
async function ourDetections(image: { data: Buffer; width: number; height: number }): Promise<Detection[]> {
  const width = Math.ceil(image.width / 32) * 32
  const height = Math.ceil(image.height / 32) * 32
  const padded = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extend({ right: width - image.width, bottom: height - image.height, background: '#000000' })
    .raw()
    .toBuffer()
  const x = tf.tensor3d(padded, [height, width, 3], 'int32')
  const found = await detect(net, x, 0.5, 100)
  x.dispose()
  return found
}

/**
 * Equal up to what the padding changes: face-api pads to 512 x 512, we to the next multiple of 32,
 * and a face near the padded edge sees a little less black (scores differ by up to 0.004 there).
 */
function expectSameDetections(ours: Detection[], theirs: Detection[]): void {
  expect(ours.length).toBe(theirs.length)
  for (const [i, d] of theirs.entries()) {
    expect(Math.abs(ours[i].score - d.score)).toBeLessThan(0.01)
    for (const key of ['x', 'y', 'width', 'height'] as const)
      expect(Math.abs(ours[i].box[key] - d.box[key])).toBeLessThan(1)
  }
}

describe('SSD anchors', () => {
  it('reproduces the anchors face-api ships for a 512 x 512 input', async () => {
    const shipped = (await loadFaceModels()).ssd as unknown as { output_layer: { extra_dim: tf.Tensor3D } }
    const expected = await shipped.output_layer.extra_dim.data()
    const ours = ssdAnchors(512, 512)
    expect(ours.length).toBe(expected.length)
    let worst = 0
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - expected[i]))
    expect(worst).toBeLessThan(1e-4)
  })

  it('sizes the feature maps of a non-square input as the network computes them', () => {
    expect(featureMapSizes(512)).toEqual([32, 16, 8, 4, 2, 1])
    expect(featureMapSizes(352)).toEqual([22, 11, 6, 3, 2, 1])
    expect(ssdAnchors(512, 352).length).toBe(4 * (22 * 32 * 3 + (11 * 16 + 6 * 8 + 3 * 4 + 2 * 2 + 1) * 6))
  })
})

describe('SSD detector', () => {
  it.each([
    ['a wide group photo', demoPhoto(3), 0],
    ['a tall photo', demoPhoto(4), 90],
    ['a square portrait', fixturePhoto('grace_hopper_512x512.jpg'), 0],
  ])("finds face-api's own detections in %s", async (_label, path, turn) => {
    const image = await at512(path, turn)
    const theirs = await faceApiDetections(image)
    expect(theirs.length).toBeGreaterThan(0)
    expectSameDetections(await ourDetections(image), theirs)
  })

  it('finds nothing in a photo with no face', async () => {
    expect(await ourDetections(await at512(fixturePhoto('rocket.jpg')))).toEqual([])
  })
})
