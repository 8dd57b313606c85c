import { describe, expect, it } from 'vitest'
import {
  KRIPPENDORFF_2011,
  KRIPPENDORFF_2011_BINARY,
  WIKIPEDIA_KRIPPENDORFF,
} from '../../../test/helpers/agreement-examples'
import { codingsOf } from '../../../test/helpers/codings'
import { tallyPatterns } from './codings'
import { krippendorffAlpha } from './krippendorff'

const alphaOf = (rows: (number | null)[][], categories: number) =>
  krippendorffAlpha(tallyPatterns(codingsOf(rows, categories)))

describe("Krippendorff's alpha (nominal)", () => {
  it('Krippendorff (2011), four observers with missing codes: 0.743', () => {
    const a = alphaOf(KRIPPENDORFF_2011, 5)
    expect(a.value).toBeCloseTo(0.743421, 6) // irrCAC krippen.alpha.raw: 0.74342
    expect(a.n).toBe(11) // the unit with one code is not pairable
  })

  it('Krippendorff (2011), two observers, binary: 0.095', () => {
    expect(alphaOf(KRIPPENDORFF_2011_BINARY, 2).value).toBeCloseTo(0.0952381, 7)
  })

  it("Wikipedia's example, three coders and many missing codes: 0.691", () => {
    const a = alphaOf(WIKIPEDIA_KRIPPENDORFF, 4)
    expect(a.value).toBeCloseTo(0.691358, 6)
    expect(a.n).toBe(12) // units 1, 2 and 14 have fewer than two codes
  })

  it("two coders from a contingency table: irrCAC's 0.7972585 on Gwet's abstractors table", () => {
    const table = [
      [13, 0, 0],
      [0, 20, 7],
      [0, 4, 56],
    ]
    const rows = table.flatMap((row, i) => row.flatMap((n, j) => Array.from({ length: n }, () => [i, j])))
    expect(alphaOf(rows, 3).value).toBeCloseTo(0.7972585, 7)
  })

  it('does not depend on which coder gave which code, nor on the order of the items', () => {
    const swapped = KRIPPENDORFF_2011.map((row) => [...row].reverse()).reverse()
    expect(alphaOf(swapped, 5).value).toBeCloseTo(alphaOf(KRIPPENDORFF_2011, 5).value!, 14)
  })

  it('is null with a reason when nothing varies or nothing is pairable', () => {
    expect(
      alphaOf(
        [
          [1, 1],
          [1, 1],
          [1, null],
        ],
        2,
      ),
    ).toMatchObject({ value: null, n: 2, reason: expect.stringContaining('same category') })
    expect(
      alphaOf(
        [
          [1, null],
          [null, 0],
        ],
        2,
      ),
    ).toMatchObject({ value: null, n: 0, reason: 'no item has codes from two or more coders' })
  })
})
