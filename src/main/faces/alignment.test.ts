import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { alignedCropPlan, boxCropPlan, eyeCentres, templateEyes, type Point } from './alignment'
import { alignedCrop, boxCrop, writeCrop } from './crops'
import type { ScaledPixels } from './photo-pixels'
import { fixturePhoto, writeOddPhotos } from './test-photos.fixture'

const dir = await mkdtemp(join(tmpdir(), 'alignment-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

/** A black picture with a white dot (radius 3) at each point. */
async function dots(width: number, height: number, points: Point[]): Promise<ScaledPixels> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/>${points.map((p) => `<circle cx="${p.x}" cy="${p.y}" r="3" fill="white"/>`).join('')}</svg>`
  const data = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer()
  return { data: new Uint8Array(data), width, height, scaleX: 1, scaleY: 1 }
}

/** Centres of the bright pixels in the left and right halves of a PNG. */
async function brightCentres(png: Uint8Array): Promise<[Point, Point]> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true })
  const sums = [
    { x: 0, y: 0, w: 0 },
    { x: 0, y: 0, w: 0 },
  ]
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const v = data[y * info.width + x]
      if (v < 40) continue
      const s = sums[x < info.width / 2 ? 0 : 1]
      s.x += (x + 0.5) * v
      s.y += (y + 0.5) * v
      s.w += v
    }
  }
  return sums.map((s) => ({ x: s.x / s.w, y: s.y / s.w })) as [Point, Point]
}

describe('eyes-aligned crops', () => {
  it('places the eyes of the template: level, 35 % of the crop apart, at 31 % of its height', () => {
    const [left, right] = templateEyes(128, 0.15)
    expect(left.y).toBeCloseTo(right.y, 9)
    expect(right.x - left.x).toBeCloseTo(128 / (2.4 * 1.3), 6)
    expect(left.y / 128).toBeCloseTo(0.308, 3)
    expect((left.x + right.x) / 2).toBeCloseTo(64, 9)
  })

  it('takes the eye centres from the 68 landmarks', () => {
    const landmarks = Array.from({ length: 68 }, (_, i): [number, number] =>
      i >= 36 && i <= 41 ? [10 + i - 36, 20] : i >= 42 && i <= 47 ? [50 + i - 42, 24] : [0, 0],
    )
    expect(eyeCentres(landmarks)).toEqual([
      { x: 12.5, y: 20 },
      { x: 52.5, y: 24 },
    ])
    expect(() => eyeCentres(landmarks.slice(1))).toThrow(/expected 68 landmarks, got 67/)
  })

  it.each([
    ['tilted clockwise, crop padded', { x: 150, y: 120 }, { x: 230, y: 160 }],
    ['tilted anticlockwise, crop padded', { x: 140, y: 170 }, { x: 230, y: 110 }],
    ['level, near the top edge', { x: 60, y: 12 }, { x: 120, y: 12 }],
    ['tilted, crop inside the photo', { x: 380, y: 380 }, { x: 440, y: 410 }],
  ])('moves the eyes onto the template (%s)', async (_label, left, right) => {
    const image = await dots(left.x > 300 ? 800 : 320, left.x > 300 ? 800 : 240, [left, right])
    const png = await alignedCrop(image, [left, right], { cropSize: 128, margin: 0.15 })
    const meta = await sharp(png).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 128, 128])
    const found = await brightCentres(png)
    const expected = templateEyes(128, 0.15)
    for (const i of [0, 1]) {
      expect(Math.abs(found[i].x - expected[i].x)).toBeLessThan(1.5)
      expect(Math.abs(found[i].y - expected[i].y)).toBeLessThan(1.5)
    }
  })

  it('maps source-pixel eyes through a downscaled working copy', async () => {
    const left = { x: 300, y: 260 }
    const right = { x: 460, y: 300 }
    const half = await dots(320, 240, [
      { x: 150, y: 130 },
      { x: 230, y: 150 },
    ])
    const png = await alignedCrop({ ...half, scaleX: 0.5, scaleY: 0.5 }, [left, right], { cropSize: 96, margin: 0.15 })
    const found = await brightCentres(png)
    const expected = templateEyes(96, 0.15)
    for (const i of [0, 1]) expect(Math.hypot(found[i].x - expected[i].x, found[i].y - expected[i].y)).toBeLessThan(1.5)
  })

  it('refuses eyes that coincide', () => {
    expect(() => alignedCropPlan({ x: 5, y: 5 }, { x: 5, y: 5 }, 128, 0.1)).toThrow(/eye centres coincide/)
  })
})

describe('crops of a given face box', () => {
  it('squares the box, adds the margin and pads with black where it leaves the photo', async () => {
    const red = await sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 255, g: 0, b: 0 } } })
      .png()
      .toBuffer()
    const file = join(dir, 'red.png')
    await sharp(red).toFile(file)
    expect(boxCropPlan({ x: 150, y: 10, width: 80, height: 40 }, 64, 0).region).toEqual({
      left: 150,
      top: -10,
      side: 80,
    })
    const png = await boxCrop(file, { x: 150, y: 10, width: 80, height: 40 }, { cropSize: 64, margin: 0 })
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([64, 64])
    const at = (x: number, y: number) => Array.from(data.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3))
    expect(at(10, 30)).toEqual([255, 0, 0])
    expect(at(60, 30)).toEqual([0, 0, 0])
    expect(at(10, 2)).toEqual([0, 0, 0])
  })

  it('reads the box in the upright frame of an EXIF-rotated photo', async () => {
    const odd = await writeOddPhotos(join(dir, 'odd'))
    const box = { x: 176, y: 103, width: 172, height: 205 }
    const upright = await sharp(
      await boxCrop(fixturePhoto('grace_hopper_512x512.jpg'), box, { cropSize: 64, margin: 0.1 }),
    )
      .raw()
      .toBuffer()
    const turned = await sharp(await boxCrop(odd.exifRotated, box, { cropSize: 64, margin: 0.1 }))
      .raw()
      .toBuffer()
    let diff = 0
    for (let i = 0; i < upright.length; i++) diff += Math.abs(upright[i] - turned[i])
    expect(diff / upright.length).toBeLessThan(4)
  })

  it('says which file when the box lies outside the photo', async () => {
    const file = fixturePhoto('rocket.jpg')
    await expect(boxCrop(file, { x: 900, y: 10, width: 50, height: 50 }, { cropSize: 32, margin: 0 })).rejects.toThrow(
      `${file}: the face region (900, 10, side 50) lies outside the 640 x 427 photo`,
    )
  })
})

describe('writeCrop', () => {
  it('writes the PNG into a new cache folder and leaves no temporary file', async () => {
    const png = new Uint8Array(
      await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } })
        .png()
        .toBuffer(),
    )
    const path = join(dir, 'cache', 'faces', '12-0.png')
    await writeCrop(png, path)
    expect(new Uint8Array(await readFile(path))).toEqual(png)
    const { readdir } = await import('node:fs/promises')
    expect(await readdir(join(dir, 'cache', 'faces'))).toEqual(['12-0.png'])
  })
})
