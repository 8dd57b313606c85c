import { describe, expect, it } from 'vitest'
import { WorkbenchError } from '../errors'
import { ONE_SEED, pairedDifferences, summarizeSeeds } from './seed-intervals'

function thrownBy(run: () => unknown): unknown {
  try {
    run()
  } catch (e) {
    return e
  }
  return null
}

describe('intervals over seeds', () => {
  it('three seeds: mean, sample sd and the t interval computed by hand', () => {
    // mean 0.72; deviations -0.02, 0.02, 0; s = √(0.0008 / 2) = 0.02;
    // half-width t(0.975, 2) · s / √3 = 4.3026527 · 0.02 / 1.7320508 = 0.0496828.
    const s = summarizeSeeds([0.7, 0.74, 0.72])
    expect(s.n).toBe(3)
    expect(s.mean).toBeCloseTo(0.72, 12)
    expect(s.sd).toBeCloseTo(0.02, 12)
    expect(s.ci95[0]).toBeCloseTo(0.6703172, 7)
    expect(s.ci95[1]).toBeCloseTo(0.7696828, 7)
    expect(s.note).toBeUndefined()
    expect(s.values).toEqual([0.7, 0.74, 0.72])
  })

  it('five seeds, paired: the interval of the differences a - b per seed, by hand', () => {
    // d = 0.05, 0.02, 0.06, 0.05, 0.03; mean 0.042; Σ(d - 0.042)² = 0.00108; s = √(0.00108 / 4) = 0.0164317;
    // half-width t(0.975, 4) · s / √5 = 2.7764451 · 0.0073485 = 0.0204026.
    const d = pairedDifferences([0.8, 0.78, 0.83, 0.79, 0.81], [0.75, 0.76, 0.77, 0.74, 0.78])
    expect(d.mean).toBeCloseTo(0.042, 12)
    expect(d.sd).toBeCloseTo(0.0164317, 7)
    expect(d.ci95[0]).toBeCloseTo(0.0215974, 7)
    expect(d.ci95[1]).toBeCloseTo(0.0624026, 7)
    expect(d.values.map((v) => Number(v.toFixed(10)))).toEqual([0.05, 0.02, 0.06, 0.05, 0.03])
  })

  it('a paired interval is narrower than the unpaired spread when seeds move both methods together', () => {
    const a = [0.6, 0.7, 0.8, 0.65, 0.75]
    const b = a.map((v, i) => v - 0.05 + (i % 2 ? 0.005 : -0.005))
    const paired = pairedDifferences(a, b)
    expect(paired.ci95[0]).toBeGreaterThan(0)
    expect(summarizeSeeds(a).ci95[0]).toBeLessThan(summarizeSeeds(b).ci95[1]) // the two intervals overlap
  })

  it('one seed: the interval is [mean, mean], flagged, never NaN', () => {
    const s = summarizeSeeds([0.81])
    expect(s).toEqual({ n: 1, mean: 0.81, sd: null, ci95: [0.81, 0.81], note: ONE_SEED, values: [0.81] })
    expect(ONE_SEED).toBe('one seed: no interval')
    expect(pairedDifferences([0.8], [0.7]).note).toBe(ONE_SEED)
  })

  it('identical values give a zero-width interval, not NaN', () => {
    expect(summarizeSeeds([0.5, 0.5, 0.5]).ci95).toEqual([0.5, 0.5])
  })

  it('other levels use their own t quantile', () => {
    const s = summarizeSeeds([1, 2, 3, 4], { level: 0.9 }) // mean 2.5, s = 1.2909944, t(0.95, 3) = 2.3533634
    expect(s.ci95[1] - s.mean).toBeCloseTo((2.3533634 * 1.2909944) / 2, 6)
  })

  it('bad input: empty, not a number, or unpaired lists get errors that name the value', () => {
    expect(() => summarizeSeeds([], { what: 'AU F1 of sjmt' })).toThrow('AU F1 of sjmt: no values')
    expect(() => summarizeSeeds([0.5, Number.NaN, 0.6])).toThrow(/value 2 of 3 is NaN/)
    expect(() => pairedDifferences([1, 2, 3], [1, 2])).toThrow(/3 values against 2/)
    const error = thrownBy(() => summarizeSeeds([0.5, Infinity]))
    expect(error).toBeInstanceOf(WorkbenchError)
    expect((error as WorkbenchError).toData()).toMatchObject({ code: 'invalid_arguments', details: { index: 1 } })
    expect(() => summarizeSeeds([1, 2], { level: 95 })).toThrow(/between 0 and 1/)
  })
})
