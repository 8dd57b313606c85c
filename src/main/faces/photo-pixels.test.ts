import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePhoto, PhotoProblemError, readPhotoHeader } from './photo-pixels'
import { demoPhoto, fixturePhoto, writeOddPhotos, type OddPhotos } from './test-photos.fixture'

const dir = await mkdtemp(join(tmpdir(), 'photo-pixels-test-'))
let odd: OddPhotos
beforeAll(async () => {
  odd = await writeOddPhotos(dir)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const sizes = { workingSize: 2048, detectionSize: 512 }

async function problemOf(path: string): Promise<PhotoProblemError> {
  const error = await decodePhoto(path, sizes).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(PhotoProblemError)
  return error as PhotoProblemError
}

describe('reading a photo', () => {
  it('makes an upright working copy and a detection copy padded to multiples of 32', async () => {
    const photo = await decodePhoto(demoPhoto(3), sizes)
    expect([photo.width, photo.height]).toEqual([1920, 1350])
    expect([photo.working.width, photo.working.height]).toEqual([1920, 1350])
    expect(photo.working.data.length).toBe(1920 * 1350 * 3)
    // 512 x 360 content, padded to 512 x 384.
    expect([photo.detection.width, photo.detection.height]).toEqual([512, 384])
    expect(photo.detection.scaleX).toBeCloseTo(512 / 1920, 6)
    expect(photo.detection.scaleY).toBeCloseTo(360 / 1350, 6)
    const lastRow = photo.detection.data.subarray(383 * 512 * 3)
    expect(Math.max(...lastRow)).toBe(0)
  })

  it('decodes a large photo at the working size only', async () => {
    const photo = await decodePhoto(demoPhoto(1), { workingSize: 960, detectionSize: 256 })
    expect([photo.width, photo.height]).toEqual([1920, 1280])
    expect([photo.working.width, photo.working.height]).toEqual([960, 640])
    expect(photo.working.scaleX).toBe(0.5)
    expect([photo.detection.width, photo.detection.height]).toEqual([256, 192])
  })

  it('enlarges a small photo for the detector, as face-api does', async () => {
    const photo = await decodePhoto(fixturePhoto('rocket.jpg'), { workingSize: 2048, detectionSize: 1024 })
    expect([photo.working.width, photo.working.height]).toEqual([640, 427])
    expect([photo.detection.width, photo.detection.height]).toEqual([1024, 704])
  })

  it('applies the EXIF orientation first: sizes and pixels are those of the upright photo', async () => {
    expect(await readPhotoHeader(odd.exifRotated)).toEqual({ width: 512, height: 512 })
    const upright = await decodePhoto(fixturePhoto('grace_hopper_512x512.jpg'), sizes)
    const turned = await decodePhoto(odd.exifRotated, sizes)
    let diff = 0
    for (let i = 0; i < upright.working.data.length; i++)
      diff += Math.abs(upright.working.data[i] - turned.working.data[i])
    // Same picture up to JPEG re-encoding (read without its orientation, the mean difference is ~76).
    expect(diff / upright.working.data.length).toBeLessThan(4)
  })

  it.each([
    ['grey', 'grey'],
    ['CMYK', 'cmyk'],
    ['16-bit PNG', 'png16'],
    ['transparent PNG', 'transparent'],
  ] as const)('reads a %s photo as 8-bit RGB', async (_label, key) => {
    const photo = await decodePhoto(odd[key], sizes)
    expect([photo.working.width, photo.working.height]).toEqual([512, 512])
    expect(photo.working.data.length).toBe(512 * 512 * 3)
    const mean = photo.working.data.reduce((s, v) => s + v, 0) / photo.working.data.length
    expect(mean).toBeGreaterThan(40)
    expect(mean).toBeLessThan(220)
  })
})

describe('photos that cannot be read give a reason naming the file', () => {
  it('a missing file', async () => {
    const e = await problemOf(odd.missing)
    expect(e.code).toBe('missing')
    expect(e.message).toBe(`${odd.missing}: file not found`)
  })

  it('a 0-byte file', async () => {
    const e = await problemOf(odd.empty)
    expect(e.code).toBe('empty')
    expect(e.message).toBe(`${odd.empty}: the file is empty (0 bytes)`)
  })

  it('a truncated JPEG', async () => {
    const e = await problemOf(odd.truncated)
    expect(e.code).toBe('unreadable')
    expect(e.message).toContain(odd.truncated)
    expect(e.message).toMatch(/truncated or corrupt.*premature end/i)
  })

  it('a corrupt JPEG', async () => {
    const e = await problemOf(odd.corrupt)
    expect(e.code).toBe('unreadable')
    expect(e.message.startsWith(`${odd.corrupt}: `)).toBe(true)
  })

  it('a file that is not an image', async () => {
    const e = await problemOf(odd.notAnImage)
    expect(e.code).toBe('unreadable')
    expect(e.message).toMatch(/notes\.jpg: not an image that can be read \(.*unsupported image format/)
  })

  it('a photo over 100 megapixels, refused from its header with the limit named', async () => {
    const e = await problemOf(odd.tooLarge)
    expect(e.code).toBe('too_large')
    expect(e.message).toBe(
      `${odd.tooLarge}: 12000 x 9000 pixels (108.0 megapixels) is over the 100 megapixel limit: downscale it first`,
    )
  })
})
