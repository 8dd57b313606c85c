import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { FaceFinderOptionsSchema } from '../../shared/faces'
import { selectFaceBackend } from './backend'
import { findFacesInPhoto, loadFaceEngine, type FaceEngine } from './find-in-photo'
import { demoPhoto } from './test-photos.fixture'

// Our landmarks must be face-api's: the same 68 points its detectAllFaces().withFaceLandmarks()
// gives on the full-resolution photo (it also cuts each face from the full image).

type FaceApi = typeof import('@vladmandic/face-api/dist/face-api.node-wasm.js')
const faceapi = createRequire(import.meta.url)('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi

let engine: FaceEngine
beforeAll(async () => {
  await selectFaceBackend('wasm')
  engine = await loadFaceEngine()
})

describe('68 landmarks', () => {
  it("are face-api's own, in source-photo pixels", async () => {
    const path = demoPhoto(5)
    const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true })
    const x = tf.tensor3d(data, [info.height, info.width, 3], 'int32')
    const theirs = await faceapi
      .detectAllFaces(
        x as unknown as Parameters<FaceApi['detectAllFaces']>[0],
        new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }),
      )
      .withFaceLandmarks()
    x.dispose()
    const result = await findFacesInPhoto(engine, path, FaceFinderOptionsSchema.parse({ crops: false }))
    if (!result.ok) throw new Error(result.problem.message)
    expect(result.faces).toHaveLength(theirs.length)
    for (const face of result.faces) {
      const match = theirs.find(
        (t) => Math.abs(t.detection.box.x - face.box.x) < 10 && Math.abs(t.detection.box.y - face.box.y) < 10,
      )
      expect(match, `face-api's face near ${face.box.x}, ${face.box.y}`).toBeDefined()
      const points = match!.landmarks.positions
      // The boxes differ by a pixel or two (face-api resizes the photo with tfjs, we with libvips);
      // the points follow them: about 2 px on average on these 160 px faces.
      const errors = face.landmarks.map(([px, py], i) => Math.hypot(px - points[i].x, py - points[i].y))
      expect(errors.reduce((s, e) => s + e, 0) / errors.length).toBeLessThan(0.025 * face.box.width)
      expect(Math.max(...errors)).toBeLessThan(0.08 * face.box.width)
    }
  })
})
