import { beforeAll, describe, expect, it } from 'vitest'
import { DRAWN_AUS, plainFace } from './face-params'
import { FRAME } from './face-svg'
import { renderFaceRgb } from './render'

// Each AU must show where a FACS coder looks for it, and only there: a plain face with one AU at
// intensity 5 is compared with the same face at rest, and the changed pixels must lie in the AU's
// region of the face. Regions are in face units (the face canvas is 100 units wide; the image
// shows its FRAME), frontal face.

const SIZE = 64
type Region = { name: string; inside: (x: number, y: number) => boolean }

const brows: Region = { name: 'brows and forehead', inside: (_x, y) => y >= 15 && y <= 46 }
const eyes: Region = { name: 'eyes', inside: (x, y) => y >= 37 && y <= 54 && x >= 25 && x <= 75 }
const cheeks: Region = { name: 'cheeks and lower lids', inside: (x, y) => y >= 40 && y <= 66 && (x < 46 || x > 54) }
const nose: Region = { name: 'nose', inside: (x, y) => y >= 40 && y <= 68 && x >= 36 && x <= 64 }
const mouth: Region = { name: 'mouth', inside: (x, y) => y >= 57 && y <= 86 && x >= 28 && x <= 72 }
const chin: Region = { name: 'chin and jaw', inside: (_x, y) => y >= 64 }

const REGION_OF: Record<number, Region> = {
  1: brows,
  2: brows,
  4: brows,
  5: eyes,
  6: cheeks,
  7: eyes,
  9: nose,
  10: mouth,
  12: mouth,
  14: mouth,
  15: mouth,
  16: mouth,
  17: chin,
  20: mouth,
  23: mouth,
  24: mouth,
  25: mouth,
  26: chin,
}

/** Centres (face units) of the pixels that differ visibly between two renders. */
function changedPixels(a: Buffer, b: Buffer): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = []
  for (let i = 0; i < SIZE * SIZE; i++) {
    let d = 0
    for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(a[i * 3 + c] - b[i * 3 + c]))
    if (d > 12)
      out.push({
        x: FRAME.x + (((i % SIZE) + 0.5) * FRAME.size) / SIZE,
        y: FRAME.y + ((Math.floor(i / SIZE) + 0.5) * FRAME.size) / SIZE,
      })
  }
  return out
}

describe('each Action Unit changes its own region of the face', () => {
  let rest: Buffer
  beforeAll(async () => {
    rest = await renderFaceRgb(plainFace(), { size: SIZE })
  })

  it('covers at least the AUs the issue names', () => {
    for (const au of [1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25, 26]) expect(DRAWN_AUS).toContain(au)
  })

  for (const au of DRAWN_AUS) {
    const region = REGION_OF[au]
    it(`AU${au} shows in the ${region.name} and grows with intensity`, async () => {
      const strong = changedPixels(rest, await renderFaceRgb(plainFace({ [au]: 5 }), { size: SIZE }))
      const trace = changedPixels(rest, await renderFaceRgb(plainFace({ [au]: 1 }), { size: SIZE }))
      expect(strong.length, `AU${au} at intensity 5 barely changes the face`).toBeGreaterThanOrEqual(20)
      const inside = strong.filter((q) => region.inside(q.x, q.y)).length
      expect(
        inside / strong.length,
        `AU${au}: share of changed pixels inside the ${region.name}`,
      ).toBeGreaterThanOrEqual(0.95)
      expect(trace.length).toBeLessThan(strong.length)
    })
  }

  it('the regions are not one big box: mouth AUs leave brows and eyes untouched and vice versa', async () => {
    const smile = changedPixels(rest, await renderFaceRgb(plainFace({ 12: 5 }), { size: SIZE }))
    expect(smile.filter((q) => brows.inside(q.x, q.y) || eyes.inside(q.x, q.y))).toEqual([])
    const browRaise = changedPixels(rest, await renderFaceRgb(plainFace({ 1: 5, 2: 5 }), { size: SIZE }))
    expect(browRaise.filter((q) => mouth.inside(q.x, q.y) || chin.inside(q.x, q.y))).toEqual([])
  })
})
