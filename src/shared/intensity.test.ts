import { describe, expect, it } from 'vitest'
import {
  intensityCell,
  intensityLabel,
  intensityOfLetter,
  isIntensity,
  labelOfFacsCode,
  storedIntensity,
} from './intensity'

describe('FACS intensity', () => {
  it('reads the letters A-E in either case and nothing else', () => {
    expect(['A', 'b', ' C ', 'd', 'E'].map(intensityOfLetter)).toEqual([1, 2, 3, 4, 5])
    expect(['F', '', '3', 'AB'].map(intensityOfLetter)).toEqual([undefined, undefined, undefined, undefined])
    expect(intensityLabel(3)).toBe('C marked')
  })

  it('accepts only the integers 1-5', () => {
    expect([1, 5].every(isIntensity)).toBe(true)
    expect([0, 6, 2.5, Number.NaN, '3'].some(isIntensity)).toBe(false)
  })

  it("keeps a dataset's trace as absent when presence starts at B, present otherwise", () => {
    expect(labelOfFacsCode(0, 2)).toEqual({ value: 0 })
    expect(labelOfFacsCode(1, 2)).toEqual({ value: 0, intensity: 1 })
    expect(labelOfFacsCode(1, 1)).toEqual({ value: 1, intensity: 1 })
    expect(labelOfFacsCode(4, 2)).toEqual({ value: 1, intensity: 4 })
  })

  it('writes 0 for absent, 1-5 for A-E and nothing for unknown or not coded', () => {
    expect(intensityCell(0, null)).toBe(0)
    expect(intensityCell(1, 3)).toBe(3)
    expect(intensityCell(0, 1)).toBe(1)
    expect(intensityCell(1, null)).toBeNull()
    expect(intensityCell(null, null)).toBeNull()
  })

  it('stores intensities as migration 0007 does: 1-5 present, a trace absent, nothing else', () => {
    expect([0, 0.4, 2.6, 5, 7, Number.NaN, null].map((n) => storedIntensity(1, n))).toEqual([
      null,
      1,
      3,
      5,
      null,
      null,
      null,
    ])
    expect([1, 3].map((n) => storedIntensity(0, n))).toEqual([1, null])
    expect(storedIntensity(null, 3)).toBeNull()
  })
})
