import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FaceFinderOptionsSchema } from '../../shared/faces'
import { alignedCropPlan, eyeCentres } from './alignment'
import { selectFaceBackend } from './backend'
import { facesInDecoded, loadFaceEngine, type FaceEngine } from './find-in-photo'
import { pixelsHoldCrop } from './crops'
import { decodePhoto, readPhotoForFaces, type ScaledPixels } from './photo-pixels'
import { readAroundFaces, regionAroundFaces } from './photo-region'
import { demoPhoto, fixturePhoto, writeOddPhotos, type OddPhotos } from './test-photos.fixture'

const dir = await mkdtemp(join(tmpdir(), 'photo-region-test-'))
let engine: FaceEngine
let odd: OddPhotos
beforeAll(async () => {
  await selectFaceBackend('wasm')
  engine = await loadFaceEngine()
  odd = await writeOddPhotos(dir)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const sizes = { workingSize: 2048, detectionSize: 512 }
const options = FaceFinderOptionsSchema.parse({})

/** The rectangle of a whole working copy (scale 1) that a part covers. */
function sameRectangle(whole: ScaledPixels, part: ScaledPixels): Uint8Array {
  const { left, top } = part.part!
  const out = new Uint8Array(part.width * part.height * 3)
  for (let y = 0; y < part.height; y++) {
    const from = ((top + y) * whole.width + left) * 3
    out.set(whole.data.subarray(from, from + part.width * 3), y * part.width * 3)
  }
  return out
}

describe('the part of a photo around its faces', () => {
  it('holds every box grown by half its long side (in proportion to the margin), inside the photo', () => {
    const photo = { width: 1000, height: 800 }
    const boxes = [
      { x: 100, y: 200, width: 100, height: 120 },
      { x: 600, y: 50, width: 80, height: 100 },
    ]
    expect(regionAroundFaces(photo, boxes, 0.15)).toEqual({ left: 40, top: 0, width: 690, height: 380 })
    // Margin 0.4: each box grows by 0.5 * 1.8 / 1.3 of its long side.
    const wide = regionAroundFaces(photo, [boxes[0]], 0.4)
    expect(wide).toEqual({ left: 16, top: 116, width: 268, height: 288 })
  })

  it('has the very pixels of the whole decoded photo, also for an EXIF-rotated one', async () => {
    for (const path of [demoPhoto(2), odd.exifRotated]) {
      const whole = await decodePhoto(path, sizes)
      const box = { x: 200, y: 150, width: 120, height: 140 }
      const part = await readAroundFaces(path, whole, [box], 0.15)
      const { left, top, width, height } = regionAroundFaces(whole, [box], 0.15)
      expect([part.width, part.height, part.scaleX, part.scaleY]).toEqual([width, height, 1, 1])
      expect(part.part).toEqual({ left, top, fullWidth: whole.width, fullHeight: whole.height })
      expect(Buffer.from(part.data).equals(Buffer.from(sameRectangle(whole.working, part)))).toBe(true)
    }
  })
})

describe('a JPEG read in parts', () => {
  it('is detected on a copy read small from the file, whose size and scale are those of the whole decode', async () => {
    const parts = await readPhotoForFaces(demoPhoto(3), sizes)
    const whole = await decodePhoto(demoPhoto(3), sizes)
    expect(parts.working).toBeNull()
    expect([parts.width, parts.height]).toEqual([whole.width, whole.height])
    const shape = (p: ScaledPixels) => [p.width, p.height, p.scaleX, p.scaleY, p.data.length]
    expect(shape(parts.detection)).toEqual(shape(whole.detection))
    // The same picture, scaled another way (libjpeg's DCT scaling, then libvips).
    let diff = 0
    for (let i = 0; i < parts.detection.data.length; i++)
      diff += Math.abs(parts.detection.data[i] - whole.detection.data[i])
    expect(diff / parts.detection.data.length).toBeLessThan(3)
  })

  it('is read whole when not a JPEG, under twice the detection size, or over the working size', async () => {
    for (const [path, at] of [
      [fixturePhoto('astronaut.png'), sizes],
      [fixturePhoto('grace_hopper_512x512.jpg'), sizes],
      [demoPhoto(1), { workingSize: 960, detectionSize: 256 }],
    ] as const) {
      const photo = await readPhotoForFaces(path, at)
      const whole = await decodePhoto(path, at)
      expect(photo.working, path).not.toBeNull()
      expect(Buffer.from(photo.working!.data).equals(Buffer.from(whole.working.data))).toBe(true)
      expect(Buffer.from(photo.detection.data).equals(Buffer.from(whole.detection.data))).toBe(true)
    }
  })

  it('gives the landmarks and crops the whole decoded photo gives for the same boxes', async () => {
    const path = demoPhoto(4)
    const parts = await readPhotoForFaces(path, sizes)
    const whole = await decodePhoto(path, sizes)
    const fromParts = await facesInDecoded(engine, parts, options)
    expect(fromParts.ok && fromParts.faces).toHaveLength(4)
    expect(fromParts).toEqual(await facesInDecoded(engine, { ...parts, working: whole.working }, options))
  })

  it('cuts a crop that reaches past the part from the file, with the same pixels', async () => {
    const path = demoPhoto(1)
    const parts = await readPhotoForFaces(path, sizes)
    const whole = await decodePhoto(path, sizes)
    const wide = { ...options, margin: 1 }
    const found = await facesInDecoded(engine, parts, { ...options, crops: false })
    if (!found.ok) throw new Error(found.problem.message)
    // A part read for margin 0 is too tight for crops with margin 1.
    const tight = await readAroundFaces(
      path,
      parts,
      found.faces.map((f) => f.box),
      0,
    )
    const held = found.faces.map((f) => pixelsHoldCrop(tight, alignedCropPlan(...eyeCentres(f.landmarks), 128, 1)))
    expect(held).toContain(false)
    const fromTight = await facesInDecoded(engine, { ...parts, working: tight }, wide)
    expect(fromTight).toEqual(await facesInDecoded(engine, { ...parts, working: whole.working }, wide))
  })
})
