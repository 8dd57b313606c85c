import { describe, expect, it } from 'vitest'
import { deriveSeed, mulberry32, shuffleInPlace } from './random'

describe('seeded randomness', () => {
  it('repeats the same numbers for the same seed and differs for another', () => {
    const a = mulberry32(7)
    const b = mulberry32(7)
    const c = mulberry32(8)
    const xs = Array.from({ length: 5 }, () => a())
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs)
  })

  it('draws evenly in [0, 1)', () => {
    const r = mulberry32(1)
    const bins = [0, 0, 0, 0]
    for (let i = 0; i < 4000; i++) {
      const x = r()
      expect(x >= 0 && x < 1).toBe(true)
      bins[Math.floor(x * 4)]++
    }
    for (const b of bins) expect(Math.abs(b - 1000)).toBeLessThan(150)
  })

  it('derives different streams per step, the same for the same step', () => {
    expect(deriveSeed(1, 10)).toBe(deriveSeed(1, 10))
    expect(new Set([deriveSeed(1, 10), deriveSeed(1, 11), deriveSeed(2, 10), deriveSeed(1, 10, 0)]).size).toBe(4)
  })

  it('shuffles into a permutation', () => {
    const xs = Int32Array.from({ length: 50 }, (_, i) => i)
    shuffleInPlace(mulberry32(3), xs)
    expect(Array.from(xs)).not.toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(Array.from(xs).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })
})
