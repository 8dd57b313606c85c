import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { Landmark } from '../../shared/faces'
import { templateEyes } from './alignment'
import { alignedCrop, boxCrop } from './crops'
import { alignedCropPoints, boxCropPoints, cropLandmarks, wholeImagePoints } from './landmarks-in-crop'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Where the stored landmarks (photo pixels) land in the crop the import cut: a photo with white
// dots at some landmarks is cropped by the real crop code, and the moved points must fall on the dots.

/** A tilted face's 68 points: eyes of six points around their centres, a few others placed by hand. */
function tiltedFace(): Landmark[] {
  const points: Landmark[] = Array.from({ length: 68 }, () => [200, 200])
  const eye = (cx: number, cy: number, first: number): void => {
    for (let k = 0; k < 6; k++)
      points[first + k] = [cx + 6 * Math.cos((k * Math.PI) / 3), cy + 3 * Math.sin((k * Math.PI) / 3)]
  }
  eye(150, 120, 36)
  eye(230, 160, 42)
  points[30] = [175, 185] // nose tip
  points[48] = [145, 205] // mouth corners
  points[54] = [205, 235]
  points[8] = [160, 260] // chin
  return points
}

async function photoWithDots(
  points: Landmark[],
  which: number[],
): Promise<{ data: Uint8Array; width: number; height: number }> {
  const circles = which.map((i) => `<circle cx="${points[i][0]}" cy="${points[i][1]}" r="4" fill="white"/>`).join('')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="320"><rect width="100%" height="100%" fill="black"/>${circles}</svg>`
  const data = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer()
  return { data: new Uint8Array(data), width: 400, height: 320 }
}

async function brightness(png: Uint8Array, [u, v]: Landmark): Promise<number> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true })
  return data[Math.floor(v * info.height) * info.width + Math.floor(u * info.width)]
}

describe('landmarks in the crop the network sees', () => {
  it('an eyes-aligned crop: the eye centres land on the template, other points on their dots', async () => {
    const points = tiltedFace()
    const toCrop = alignedCropPoints(points, 0.15)
    const [left, right] = templateEyes(1, 0.15)
    const moved = cropLandmarks(points, toCrop)
    const mean = (first: number, axis: 0 | 1): number =>
      [0, 1, 2, 3, 4, 5].reduce((s, k) => s + moved[2 * (first + k) + axis], 0) / 6
    expect(mean(36, 0)).toBeCloseTo(left.x, 6)
    expect(mean(36, 1)).toBeCloseTo(left.y, 6)
    expect(mean(42, 0)).toBeCloseTo(right.x, 6)
    expect(mean(42, 1)).toBeCloseTo(right.y, 6)
    const pixels = await photoWithDots(points, [30, 48, 54, 8])
    const png = await alignedCrop(
      { ...pixels, scaleX: 1, scaleY: 1 },
      [
        { x: 150, y: 120 },
        { x: 230, y: 160 },
      ],
      { cropSize: 128, margin: 0.15 },
    )
    for (const i of [30, 48, 54, 8]) expect(await brightness(png, toCrop(points[i])), `point ${i}`).toBeGreaterThan(150)
  })

  it("a dataset's box: squared about its centre with the margin, on its dots", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'landmarks-in-crop-'))
    try {
      const points = tiltedFace()
      const pixels = await photoWithDots(points, [30, 48, 8])
      const file = join(dir, 'photo.png')
      await writeFile(
        file,
        await sharp(Buffer.from(pixels.data), { raw: { width: 400, height: 320, channels: 3 } })
          .png()
          .toBuffer(),
      )
      const box = { x: 120, y: 90, width: 140, height: 190 }
      const png = await boxCrop(file, box, { cropSize: 128, margin: 0.15 })
      const toCrop = boxCropPoints(box, 0.15)
      for (const i of [30, 48, 8]) expect(await brightness(png, toCrop(points[i])), `point ${i}`).toBeGreaterThan(150)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a whole image: the short side fills the input, the long one is centre-cropped', () => {
    expect(wholeImagePoints(64, 64)([16, 48])).toEqual([0.25, 0.75])
    expect(wholeImagePoints(80, 40)([20, 10])).toEqual([0, 0.25])
    expect(() => cropLandmarks(tiltedFace().slice(1), wholeImagePoints(64, 64))).toThrow(
      /expected 68 landmarks, got 67/,
    )
  })
})
