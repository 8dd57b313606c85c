import { describe, expect, it } from 'vitest'
import { augmentBatch, flipAllowed, isLateralised } from './augment'

// Images whose every value is unique (1-based, so the zero border is recognisable).
const shape = { batch: 16, height: 6, width: 5, channels: 2 }
const images = Float32Array.from({ length: 16 * 6 * 5 * 2 }, (_, i) => i + 1)
const at = (a: Float32Array, n: number, y: number, x: number, c: number): number =>
  a[((n * shape.height + y) * shape.width + x) * shape.channels + c]

/** The (dy, dx, flip) that explains image n of the output, or null if none does. */
function explain(out: Float32Array, n: number, pad: number): { dy: number; dx: number; flip: boolean } | null {
  for (const flip of [false, true]) {
    for (let dy = -pad; dy <= pad; dy++) {
      for (let dx = -pad; dx <= pad; dx++) {
        let ok = true
        for (let y = 0; y < shape.height && ok; y++) {
          for (let x = 0; x < shape.width && ok; x++) {
            const sy = y + dy
            const sx = x + dx
            for (let c = 0; c < shape.channels && ok; c++) {
              const inside = sy >= 0 && sy < shape.height && sx >= 0 && sx < shape.width
              const want = inside ? at(images, n, sy, flip ? shape.width - 1 - sx : sx, c) : 0
              ok = at(out, n, y, x, c) === want
            }
          }
        }
        if (ok) return { dy, dx, flip }
      }
    }
  }
  return null
}

describe('augmentation', () => {
  it('shifts each image by at most pad pixels with a black border, differently per image', () => {
    const out = augmentBatch(images, shape, { pad: 2, randomCrop: true, horizontalFlip: false }, 42)
    const moves = Array.from({ length: shape.batch }, (_, n) => explain(out, n, 2))
    for (const m of moves) expect(m).not.toBeNull()
    expect(moves.every((m) => !m!.flip)).toBe(true)
    expect(new Set(moves.map((m) => `${m!.dy},${m!.dx}`)).size).toBeGreaterThan(4)
  })

  it('repeats the same batch for the same seed and another for another seed', () => {
    const o = { pad: 4, randomCrop: true, horizontalFlip: true }
    expect(augmentBatch(images, shape, o, 7)).toEqual(augmentBatch(images, shape, o, 7))
    expect(augmentBatch(images, shape, o, 7)).not.toEqual(augmentBatch(images, shape, o, 8))
  })

  it('leaves images unchanged without crop or flip, and never alters the input', () => {
    const copy = images.slice()
    expect(augmentBatch(images, shape, { pad: 4, randomCrop: false, horizontalFlip: false }, 1)).toEqual(images)
    augmentBatch(images, shape, { pad: 4, randomCrop: true, horizontalFlip: true }, 1)
    expect(images).toEqual(copy)
  })

  it('mirrors about half the images when flipping is on', () => {
    const out = augmentBatch(images, shape, { pad: 0, randomCrop: true, horizontalFlip: true }, 3)
    const flips = Array.from({ length: shape.batch }, (_, n) => explain(out, n, 0)!.flip)
    expect(flips.filter(Boolean).length).toBeGreaterThan(2)
    expect(flips.filter((f) => !f).length).toBeGreaterThan(2)
  })

  it('says which batch size was wrong', () => {
    expect(() =>
      augmentBatch(new Float32Array(10), shape, { pad: 4, randomCrop: true, horizontalFlip: false }, 1),
    ).toThrow(/16x6x5x2/)
  })

  it('recognises classes tied to one side of the face and turns flipping off for them', () => {
    for (const code of ['AU12L', 'AU 14R', 'R12', 'L2', 'AUL4', 'left_wink', 'brow raise right'])
      expect(isLateralised(code), code).toBe(true)
    for (const code of ['AU12', 'AU1', 'contempt', 'happy', 'happily_surprised', 'AU43'])
      expect(isLateralised(code), code).toBe(false)
    const on = { horizontalFlip: true, noFlipIfLateralised: true }
    expect(flipAllowed(on, ['happy', 'AU12'])).toBe(true)
    expect(flipAllowed(on, ['happy', 'AU12L'])).toBe(false)
    expect(flipAllowed({ ...on, noFlipIfLateralised: false }, ['AU12L'])).toBe(true)
    expect(flipAllowed({ ...on, horizontalFlip: false }, ['happy'])).toBe(false)
  })
})
