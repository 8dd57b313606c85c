import { describe, expect, it } from 'vitest'
import { SHROUT_FLEISS_1979 } from '../../../test/helpers/agreement-examples'
import { icc31, icc31WithInterval, tallyRatings, type Ratings } from './icc'

const ratingsOf = (rows: number[][]): Ratings => ({
  items: rows.length,
  raters: rows[0].length,
  values: Float64Array.from(rows.flat()),
})

describe('ICC(3,1)', () => {
  it('Shrout & Fleiss (1979), Table 2: 0.71 (0.7148 unrounded)', () => {
    // BMS = 11.24, EMS = 1.02 (their Table 3): (11.24 - 1.02) / (11.24 + 3 · 1.02) = 0.7148.
    const icc = icc31(tallyRatings(ratingsOf(SHROUT_FLEISS_1979)))
    expect(icc.value).toBeCloseTo(0.7148407, 7)
    expect(icc.n).toBe(6)
  })

  it('with its bootstrap interval over items: seeded, around the value', () => {
    const icc = icc31WithInterval(ratingsOf(SHROUT_FLEISS_1979), { seed: 4, resamples: 1000 })
    expect(icc.value).toBeCloseTo(0.7148407, 7)
    expect(icc.ci95![0]).toBeLessThan(0.7148407)
    expect(icc.ci95![1]).toBeGreaterThan(0.7148407)
    expect(icc.ci95![1]).toBeLessThanOrEqual(1)
    expect(icc31WithInterval(ratingsOf(SHROUT_FLEISS_1979), { seed: 4, resamples: 1000 })).toEqual(icc)
    expect(
      icc31WithInterval(
        ratingsOf([
          [3, 4],
          [3, 4],
        ]),
      ),
    ).toMatchObject({ value: null, ci95: null, ciReason: expect.stringContaining('do not vary') })
  })

  it('ignores a constant offset per rater (consistency, not absolute agreement) and large offsets lose no digits', () => {
    const shifted = SHROUT_FLEISS_1979.map((row) => row.map((v, r) => v + 1e9 + 3 * r))
    expect(icc31(tallyRatings(ratingsOf(shifted))).value).toBeCloseTo(0.7148407, 7)
  })

  it('leaves out items a rater did not rate, and counts repeated rows as items', () => {
    const withGap = [...SHROUT_FLEISS_1979, [Number.NaN, 3, 3, 3]]
    expect(icc31(tallyRatings(ratingsOf(withGap)))).toMatchObject({ value: expect.closeTo(0.7148407, 7), n: 6 })
    const doubled = icc31(tallyRatings(ratingsOf([...SHROUT_FLEISS_1979, ...SHROUT_FLEISS_1979])))
    expect(doubled.n).toBe(12) // every row twice: the patterns count 2 items each
    expect(doubled.value).toBeCloseTo(0.7148407, 7) // BMS / EMS = 3 SS_rows / SS_error either way
  })

  it('is null with a reason when the items do not vary, or too few are complete', () => {
    expect(
      icc31(
        tallyRatings(
          ratingsOf([
            [3, 4],
            [3, 4],
            [3, 4],
          ]),
        ),
      ),
    ).toMatchObject({ value: null, n: 3, reason: expect.stringContaining('do not vary') })
    expect(
      icc31(
        tallyRatings(
          ratingsOf([
            [3, 4],
            [2, Number.NaN],
          ]),
        ),
      ),
    ).toMatchObject({ value: null, n: 1 })
    expect(icc31(tallyRatings(ratingsOf([[3], [4]])))).toMatchObject({
      value: null,
      reason: 'ICC needs at least two raters',
    })
  })

  it('names the item and rater of an impossible rating', () => {
    expect(() =>
      tallyRatings({
        ...ratingsOf([
          [1, 2],
          [3, Infinity],
        ]),
        label: 'AU12 intensity',
      }),
    ).toThrow('ratings of AU12 intensity: item 2, rater 2 has rating Infinity')
  })
})
