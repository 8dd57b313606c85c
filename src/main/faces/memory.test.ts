import * as tf from '@tensorflow/tfjs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FaceFinderOptionsSchema } from '../../shared/faces'
import { selectFaceBackend } from './backend'
import { findFacesInPhoto, loadFaceEngine, type FaceEngine } from './find-in-photo'
import { fixturePhoto } from './test-photos.fixture'

// An import of thousands of photos must not leak a tensor per photo. The detector runs at 256 px
// here to keep the test short; the tensor bookkeeping checked is the same at every size.

const dir = await mkdtemp(join(tmpdir(), 'faces-memory-test-'))
let engine: FaceEngine
beforeAll(async () => {
  await selectFaceBackend('wasm')
  engine = await loadFaceEngine()
  await writeFile(join(dir, 'broken.jpg'), 'not a photo')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('face finder memory', () => {
  it('keeps the number of live tensors flat over 50 photos (faces, no face, unreadable)', async () => {
    const options = FaceFinderOptionsSchema.parse({ detectionSize: 256 })
    const photos = [
      fixturePhoto('grace_hopper_512x512.jpg'),
      fixturePhoto('astronaut.png'),
      fixturePhoto('rocket.jpg'),
      join(dir, 'broken.jpg'),
    ]
    await findFacesInPhoto(engine, photos[0], options)
    const before = tf.memory()
    const counts: number[] = []
    let faces = 0
    for (let i = 0; i < 50; i++) {
      const result = await findFacesInPhoto(engine, photos[i % photos.length], options)
      if (result.ok) faces += result.faces.length
      counts.push(tf.memory().numTensors)
    }
    expect(faces).toBeGreaterThanOrEqual(25)
    expect(new Set(counts)).toEqual(new Set([before.numTensors]))
    expect(tf.memory().numBytes).toBe(before.numBytes)
  })
})
