import { describe, expect, it } from 'vitest'
import { MIRRORED_68 } from '../../shared/metrics/landmark-error'
import type { Landmark } from '../../shared/faces'
import { plainFace, plainNuisance, type FaceParams } from './face-params'
import { faceLandmarks } from './face-landmarks'
import { renderFaceRgb } from './render'

// The generator's landmarks must land on what it draws: rendered at 128 px, the pixel at each
// eye's centre is its pupil, the brows' points are brow-dark, the upper lip's middle is lip-red;
// also when the face is tilted, scaled and moved. A frontal face is symmetric, which checks the
// point order against the 68-point layout's mirror pairs.

const SIZE = 128

const pixel = (rgb: Buffer, [x, y]: Landmark): [number, number, number] => {
  const at = (Math.floor(y) * SIZE + Math.floor(x)) * 3
  return [rgb[at], rgb[at + 1], rgb[at + 2]]
}
const mean = (points: Landmark[]): Landmark => [
  points.reduce((s, q) => s + q[0], 0) / points.length,
  points.reduce((s, q) => s + q[1], 0) / points.length,
]
const brightness = (c: [number, number, number]): number => (c[0] + c[1] + c[2]) / 3

const tilted: FaceParams = {
  aus: { 12: 3, 25: 2 },
  nuisance: { ...plainNuisance(), rollDeg: 12, scale: 0.9, dx: 4, dy: -3, background: '#ffffff' },
}

describe('demo face landmarks', () => {
  for (const [name, face] of [
    ['a plain face', plainFace()],
    ['a tilted, smaller, shifted, smiling face', tilted],
  ] as const) {
    it(`land on the drawn eyes, brows and lips of ${name}`, async () => {
      const rgb = await renderFaceRgb(face, { size: SIZE })
      const points = faceLandmarks(face, SIZE)
      expect(points).toHaveLength(68)
      const skin = brightness(pixel(rgb, mean([points[29], points[30]]))) // the nose bridge
      for (const eye of [points.slice(36, 42), points.slice(42, 48)])
        expect(brightness(pixel(rgb, mean(eye))), 'the pupil at the eye centre').toBeLessThan(40)
      for (const i of [19, 24]) expect(brightness(pixel(rgb, points[i])), `brow point ${i}`).toBeLessThan(skin - 60)
      const [r, g, b] = pixel(rgb, mean([points[51], points[62]]))
      expect(r - (g + b) / 2, 'the upper lip, between points 51 and 62, is red').toBeGreaterThan(40)
    })
  }

  it('mirror each other across a frontal face in the layout’s left-right pairs', () => {
    const points = faceLandmarks(plainFace({ 1: 2, 12: 4, 26: 3 }), SIZE)
    points.forEach(([x, y], i) => {
      const [mx, my] = points[MIRRORED_68[i]]
      expect(Math.abs(x - (SIZE - mx)), `point ${i} mirrors point ${MIRRORED_68[i]}`).toBeLessThan(1e-9)
      expect(Math.abs(y - my)).toBeLessThan(1e-9)
    })
    // The image-left eye's outer corner (36) is left of its inner corner (39); the chin (8) is the lowest point.
    expect(points[36][0]).toBeLessThan(points[39][0])
    expect(Math.max(...points.map((q) => q[1]))).toBe(points[8][1])
  })
})
