import { describe, expect, it } from 'vitest'
import { FLEISS_1971, KRIPPENDORFF_2011, WIKIPEDIA_FLEISS } from '../../../test/helpers/agreement-examples'
import { codingsOf, codingsOfCountTable } from '../../../test/helpers/codings'
import { tallyPatterns } from './codings'
import { cohenKappa, fleissKappa } from './kappa'

/** Two coders' codes from a contingency table: table[i][j] items coded i by the first, j by the second. */
const fromContingency = (table: number[][]) =>
  codingsOf(
    table.flatMap((row, i) => row.flatMap((n, j) => Array.from({ length: n }, () => [i, j]))),
    table.length,
  )

describe("Cohen's kappa", () => {
  it("Wikipedia's table: 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no gives 0.4 (p_o 0.7, p_e 0.5)", () => {
    const k = cohenKappa(
      tallyPatterns(
        fromContingency([
          [20, 5],
          [10, 15],
        ]),
      ),
    )
    expect(k.value).toBeCloseTo(0.4, 12)
    expect(k.n).toBe(50)
  })

  it("Gwet's 3 x 3 abstractors table (irrCAC cont3x3abstractors) gives 0.7964094", () => {
    expect(
      cohenKappa(
        tallyPatterns(
          fromContingency([
            [13, 0, 0],
            [0, 20, 7],
            [0, 4, 56],
          ]),
        ),
      ).value,
    ).toBeCloseTo(0.7964094, 7)
  })

  it('weighted kappa on ordered codes, by hand', () => {
    // Coder a: 0 1 2 2, coder b: 0 2 1 2. Linear weights |i-j|: observed Σ w·o = 2; marginals
    // a (1,1,2), b (1,1,2), n = 4: expected Σ w r_i c_j / n = (1 + 1 + 4 + 4 + 2 + 2) / 4 = 3.5;
    // κ_w = 1 - 2 / 3.5 = 0.4285714 (scikit-learn agrees).
    const p = tallyPatterns(
      codingsOf(
        [
          [0, 0],
          [1, 2],
          [2, 1],
          [2, 2],
        ],
        3,
      ),
    )
    expect(cohenKappa(p, { weights: 'linear' }).value).toBeCloseTo(0.4285714, 7)
  })

  it('counts only the items both coders coded, and any pair of coders', () => {
    const p = tallyPatterns(
      codingsOf(
        [
          [1, 1, 0],
          [0, 0, null],
          [1, null, 1],
          [0, 1, 0],
        ],
        2,
      ),
    )
    expect(cohenKappa(p).n).toBe(3)
    expect(cohenKappa(p, { coders: [0, 2] }).n).toBe(3)
    expect(() => cohenKappa(p, { coders: [1, 1] })).toThrow(/two different coders/)
  })

  it('is null with a reason, never NaN, when both coders used one and the same category', () => {
    const k = cohenKappa(
      tallyPatterns(
        codingsOf(
          [
            [1, 1],
            [1, 1],
            [1, 1],
          ],
          2,
        ),
      ),
    )
    expect(k).toEqual({ value: null, n: 3, reason: expect.stringContaining('same single category') })
    expect(
      cohenKappa(
        tallyPatterns(
          codingsOf(
            [
              [0, 1],
              [0, 1],
            ],
            2,
          ),
        ),
      ).value,
    ).toBe(0) // one category each, but different: p_o 0, p_e 0
    expect(
      cohenKappa(
        tallyPatterns(
          codingsOf(
            [
              [0, null],
              [null, 1],
            ],
            2,
          ),
        ),
      ),
    ).toMatchObject({ value: null, n: 0, reason: 'no item was coded by both coders' })
  })
})

describe("Fleiss' kappa", () => {
  it("Fleiss (1971) Table 1 gives 0.430, and its first 15 patients irrCAC's 0.4139265", () => {
    const k = fleissKappa(tallyPatterns(codingsOfCountTable(FLEISS_1971)))
    expect(k.value).toBeCloseTo(0.4302445, 7)
    expect(k.n).toBe(30)
    expect(fleissKappa(tallyPatterns(codingsOfCountTable(FLEISS_1971.slice(0, 15)))).value).toBeCloseTo(0.4139265, 7)
  })

  it("Wikipedia's example gives 0.210", () => {
    expect(fleissKappa(tallyPatterns(codingsOfCountTable(WIKIPEDIA_FLEISS))).value).toBeCloseTo(0.2099307, 7)
  })

  it("items with different numbers of coders: Gwet's form gives irrCAC's 0.76117 on Krippendorff's data", () => {
    // irrCAC fleiss.kappa.raw(cac.raw4raters): pa 0.8181818, pe 0.2387153, kappa 0.76117.
    const k = fleissKappa(tallyPatterns(codingsOf(KRIPPENDORFF_2011, 5)))
    expect(k.value).toBeCloseTo((0.8181818 - 0.2387153) / (1 - 0.2387153), 6)
    expect(k.value).toBeCloseTo(0.76117, 5)
    expect(k.n).toBe(11) // unit 12 has a single code
  })

  it("is Scott's pi for two coders (pooled category shares), by hand", () => {
    // 20/5/10/15: p_o = 0.7; pooled shares yes (25 + 30) / 100 = 0.55, no 0.45; p_e = 0.505; π = 0.195 / 0.495.
    const k = fleissKappa(
      tallyPatterns(
        fromContingency([
          [20, 5],
          [10, 15],
        ]),
      ),
    )
    expect(k.value).toBeCloseTo(0.195 / 0.495, 12)
  })

  it('is null with a reason when every code is in one category or no item has two codes', () => {
    expect(
      fleissKappa(
        tallyPatterns(
          codingsOf(
            [
              [2, 2, 2],
              [2, 2, null],
            ],
            3,
          ),
        ),
      ),
    ).toMatchObject({ value: null, n: 2, reason: expect.stringContaining('same category') })
    expect(
      fleissKappa(
        tallyPatterns(
          codingsOf(
            [
              [2, null, null],
              [null, 1, null],
            ],
            3,
          ),
        ),
      ),
    ).toMatchObject({ value: null, n: 0 })
  })
})
