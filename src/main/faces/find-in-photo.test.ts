import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FaceFinderOptionsSchema, type FaceBox, type PhotoFaces } from '../../shared/faces'
import { eyeCentres } from './alignment'
import { selectFaceBackend } from './backend'
import { findFacesInPhoto, loadFaceEngine, type FaceEngine } from './find-in-photo'
import { demoPhoto, fixturePhoto, writeOddPhotos, type OddPhotos } from './test-photos.fixture'

// Real photographs through the whole finder (wasm backend, default options). The pinned boxes
// are [x, y, width, height] in source pixels, best score first, as found on this machine; a
// backend with other kernels (tfjs-node) may move them by a pixel or two, so they are compared with
// a tolerance and matched by overlap, not by order.

const PINNED: [string, number[][]][] = [
  [
    demoPhoto(1),
    [
      [412, 354, 179, 239],
      [837, 418, 190, 226],
      [1472, 197, 205, 239],
    ],
  ],
  [
    demoPhoto(2),
    [
      [1446, 153, 194, 243],
      [898, 223, 155, 228],
      [362, 133, 150, 254],
    ],
  ],
  [
    demoPhoto(3),
    [
      [584, 328, 200, 272],
      [1514, 287, 169, 285],
      [1073, 215, 223, 297],
    ],
  ],
  [
    demoPhoto(4),
    [
      [663, 49, 185, 264],
      [255, 182, 163, 251],
      [987, 178, 171, 227],
      [1278, 133, 148, 259],
    ],
  ],
  [
    demoPhoto(5),
    [
      [785, 107, 155, 214],
      [1111, 197, 161, 238],
      [597, 415, 166, 248],
      [1405, 388, 167, 272],
      [377, 861, 172, 298],
    ],
  ],
  [
    demoPhoto(6),
    [
      [679, 319, 160, 306],
      [1485, 260, 211, 299],
      [1179, 306, 189, 277],
      [250, 465, 210, 293],
    ],
  ],
  [fixturePhoto('astronaut.png'), [[181, 73, 83, 102]]],
  [fixturePhoto('grace_hopper_512x512.jpg'), [[176, 103, 172, 205]]],
]

const dir = await mkdtemp(join(tmpdir(), 'find-in-photo-test-'))
let engine: FaceEngine
let odd: OddPhotos
beforeAll(async () => {
  await selectFaceBackend('wasm')
  engine = await loadFaceEngine()
  odd = await writeOddPhotos(dir)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const options = FaceFinderOptionsSchema.parse({})
const name = (path: string) => path.split('/').pop()

function expectBox(actual: FaceBox, [x, y, width, height]: number[], tolerance = 4): void {
  const off = Math.max(
    Math.abs(actual.x - x),
    Math.abs(actual.y - y),
    Math.abs(actual.width - width),
    Math.abs(actual.height - height),
  )
  expect(off, `box ${JSON.stringify(actual)} vs pinned [${x}, ${y}, ${width}, ${height}]`).toBeLessThanOrEqual(
    tolerance,
  )
}

function facesOf(result: PhotoFaces) {
  if (!result.ok) throw new Error(`expected faces, got ${result.problem.code}: ${result.problem.message}`)
  return result.faces
}

/** Inside the box grown by 10 % each side (on a face turned to profile, the far eye can lie just outside the box). */
const inside = (p: { x: number; y: number }, b: FaceBox) => {
  const dx = b.width / 10
  const dy = b.height / 10
  return p.x >= b.x - dx && p.x <= b.x + b.width + dx && p.y >= b.y - dy && p.y <= b.y + b.height + dy
}

describe('faces in real photographs', () => {
  it.each(PINNED.map(([path, boxes]) => [name(path), path, boxes] as const))(
    '%s: the pinned faces, with landmarks and an aligned crop',
    async (_name, path, pinned) => {
      const result = await findFacesInPhoto(engine, path, options)
      const faces = facesOf(result)
      expect(faces.length).toBe(pinned.length)
      expect(faces.map((f) => f.index)).toEqual(pinned.map((_, i) => i))
      expect(faces.map((f) => f.score)).toEqual([...faces.map((f) => f.score)].sort((a, b) => b - a))
      for (const box of pinned) {
        const face = faces.find(
          (f) => Math.abs(f.box.x - box[0]) < box[2] / 2 && Math.abs(f.box.y - box[1]) < box[3] / 2,
        )
        expect(face, `a face near [${box.join(', ')}]`).toBeDefined()
        expectBox(face!.box, box)
        expect(face!.score).toBeGreaterThan(0.5)
        expect(face!.landmarks).toHaveLength(68)
        const [left, right] = eyeCentres(face!.landmarks)
        expect(inside(left, face!.box) && inside(right, face!.box)).toBe(true)
        expect(left.x).toBeLessThan(right.x)
        // Eyes above the mouth's centre (point 62) along the face.
        expect(Math.max(left.y, right.y)).toBeLessThan(face!.landmarks[62][1] + 0.25 * face!.box.height)
        const crop = await sharp(face!.crop!).metadata()
        expect([crop.format, crop.width, crop.height]).toEqual(['png', 128, 128])
      }
    },
  )

  it('reports a photo with no face, naming it', async () => {
    const path = fixturePhoto('rocket.jpg')
    expect(await findFacesInPhoto(engine, path, options)).toEqual({
      path,
      ok: false,
      problem: { code: 'no_face', message: `${path}: no face found (no detector score above 0.5)` },
    })
  })

  it('gives the same box in the upright frame for an EXIF-rotated copy', async () => {
    const result = await findFacesInPhoto(engine, odd.exifRotated, options)
    const [face] = facesOf(result)
    expect(result.ok && [result.width, result.height]).toEqual([512, 512])
    expectBox(face.box, [176, 103, 172, 205], 3)
  })

  it('gives the pinned boxes of a wide group photo stored tall with EXIF orientation 6', async () => {
    const stored = join(dir, 'sample3-exif6.jpg')
    await sharp(demoPhoto(3)).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(stored)
    expect((await sharp(stored).metadata()).width).toBe(1350)
    const result = await findFacesInPhoto(engine, stored, options)
    expect(result.ok && [result.width, result.height]).toEqual([1920, 1350])
    const faces = facesOf(result)
    const [, pinned] = PINNED[2]
    expect(faces).toHaveLength(pinned.length)
    for (const [i, box] of pinned.entries()) expectBox(faces[i].box, box)
  })

  // Grey and CMYK change the colours the detector sees, so the box may move by a few per cent.
  it.each([
    ['grey', 'grey'],
    ['CMYK', 'cmyk'],
    ['16-bit PNG', 'png16'],
    ['transparent PNG', 'transparent'],
  ] as const)('finds Grace Hopper in a %s copy', async (_label, key) => {
    const faces = facesOf(await findFacesInPhoto(engine, odd[key], options))
    expect(faces).toHaveLength(1)
    expectBox(faces[0].box, [176, 103, 172, 205], 12)
  })

  it.each([
    ['missing', 'missing'],
    ['empty', 'empty'],
    ['truncated', 'unreadable'],
    ['corrupt', 'unreadable'],
    ['tooLarge', 'too_large'],
  ] as const)('reports the %s file with its reason', async (key, code) => {
    const result = await findFacesInPhoto(engine, odd[key], options)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.problem.code).toBe(code)
      expect(result.problem.message.startsWith(`${odd[key]}: `)).toBe(true)
    }
  })

  it('leaves the crops out when asked, and honours the crop size', async () => {
    const path = fixturePhoto('grace_hopper_512x512.jpg')
    const [bare] = facesOf(await findFacesInPhoto(engine, path, { ...options, crops: false }))
    expect(bare.crop).toBeUndefined()
    const [small] = facesOf(await findFacesInPhoto(engine, path, { ...options, cropSize: 48 }))
    expect((await sharp(small.crop!).metadata()).width).toBe(48)
  })
})
