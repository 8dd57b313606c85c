import { describe, expect, it } from 'vitest'
import { averageRanks, meanAbsoluteError, spearman } from './correlation'

describe('rank correlation and mean absolute error', () => {
  it('tied values share the mean of their ranks', () => {
    expect([...averageRanks([1, 2, 2, 3, 4, 4, 4, 5])]).toEqual([1, 2.5, 2.5, 4, 6, 6, 6, 8])
    expect([...averageRanks([0.3, 0.1, 0.2])]).toEqual([3, 1, 2])
  })

  it("Spearman with ties, by hand: 36.25 / √(39.5 · 41) = 0.9007775 (scipy's spearmanr agrees)", () => {
    // Ranks x 1 2.5 2.5 4 6 6 6 8, y 2 1 3.5 3.5 6 5 7.5 7.5; centred on 4.5: Σdx·dy = 36.25, Σdx² = 39.5, Σdy² = 41.
    const r = spearman([1, 2, 2, 3, 4, 4, 4, 5], [2, 1, 3, 3, 5, 4, 6, 6])
    expect(r.value).toBeCloseTo(0.9007775, 7)
    expect(r.n).toBe(8)
  })

  it('is 1 for any increasing relation and -1 for a decreasing one', () => {
    const x = [0.01, 0.2, 0.5, 0.9]
    expect(
      spearman(
        x,
        x.map((v) => v ** 3),
      ).value,
    ).toBeCloseTo(1, 14)
    expect(
      spearman(
        x,
        x.map((v) => -Math.exp(v)),
      ).value,
    ).toBeCloseTo(-1, 14)
  })

  it('is null with a reason when one side does not vary or there are too few pairs', () => {
    expect(spearman([1, 2, 3], [0.5, 0.5, 0.5])).toMatchObject({
      value: null,
      n: 3,
      reason: expect.stringContaining('all values equal'),
    })
    expect(spearman([1], [2])).toMatchObject({ value: null, n: 1 })
  })

  it('mean absolute error, by hand', () => {
    expect(meanAbsoluteError([0.1, 0.5, 0.9], [0.2, 0.5, 0.6]).value).toBeCloseTo((0.1 + 0 + 0.3) / 3, 14)
    expect(meanAbsoluteError([], [])).toMatchObject({ value: null, n: 0 })
  })

  it('unpaired or non-numeric values get an error that names them', () => {
    expect(() => spearman([1, 2], [1])).toThrow('rank correlation: 2 values against 1; they must pair up')
    expect(() => meanAbsoluteError([1, Number.NaN], [1, 2])).toThrow(
      'mean absolute error: value 2 of the first list is not a finite number',
    )
    expect(() => meanAbsoluteError([1, 2], [1, Infinity])).toThrow(/value 2 of the second list/)
  })
})
