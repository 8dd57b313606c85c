import { describe, expect, it } from 'vitest'
import { defaultRunConfig } from '../../../shared/run-config'
import { learningRateAt } from './learning-rate'

describe('learning rate schedule', () => {
  const paper = defaultRunConfig()

  it('holds the rate for each stair of 10,000 steps and then drops it by the decay factor', () => {
    expect(learningRateAt(0, paper)).toBe(0.05)
    expect(learningRateAt(9_999, paper)).toBe(0.05)
    expect(learningRateAt(10_000, paper)).toBeCloseTo(0.005, 12)
    expect(learningRateAt(25_000, paper)).toBeCloseTo(0.0005, 12)
  })

  it('follows another decay rate and step', () => {
    const s = { learningRate: 1, lrDecayRate: 0.5, lrDecaySteps: 3 }
    expect([0, 2, 3, 5, 6, 9].map((k) => learningRateAt(k, s))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125])
  })

  it('refuses a negative or fractional step', () => {
    expect(() => learningRateAt(-1, paper)).toThrow(/step/)
    expect(() => learningRateAt(1.5, paper)).toThrow(/step/)
  })
})
