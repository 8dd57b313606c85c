import { describe, expect, it } from 'vitest'
import { codingsOf } from '../../../test/helpers/codings'
import { checkCodings, tallyPatterns } from './codings'
import { agreementIndexOf, facsAgreementIndex, indexPatternsOfClass, tallyIndexPatterns } from './facs-agreement-index'

// Three images, four AUs (AU1, AU2, AU4, AU12), coders A and B; 1 present, 0 absent, null unknown.
//   image 1: A {1, 2, 12}, B {1, 2}       -> 2 · 2 / (3 + 2) = 0.8
//   image 2: A {4},        B {12}         -> 0 / 2 = 0
//   image 3: A {},         B {}           -> neither scored: left out (or 1)
//   image 4: A {12}, B {12, AU4 unknown}  -> AU4 not compared; 2 · 1 / 2 = 1
const AU1 = codingsOf(
  [
    [1, 1],
    [0, 0],
    [0, 0],
    [0, 0],
  ],
  2,
)
const AU2 = codingsOf(
  [
    [1, 1],
    [0, 0],
    [0, 0],
    [0, 0],
  ],
  2,
)
const AU4 = codingsOf(
  [
    [0, 0],
    [1, 0],
    [0, 0],
    [1, null],
  ],
  2,
)
const AU12 = codingsOf(
  [
    [1, 0],
    [0, 1],
    [0, 0],
    [1, 1],
  ],
  2,
)

describe('FACS agreement index', () => {
  it('averages 2 x agreed / scored over images, by hand', () => {
    const index = facsAgreementIndex([AU1, AU2, AU4, AU12], { seed: 3 })
    expect(index.value).toBeCloseTo((0.8 + 0 + 1) / 3, 12)
    expect(index.n).toBe(3)
    expect(index.neitherScored).toBe(1)
    expect(index.ci95![0]).toBeGreaterThanOrEqual(0)
    expect(index.ci95![1]).toBeLessThanOrEqual(1)
  })

  it('an image neither coder scored counts as full agreement when asked', () => {
    const index = facsAgreementIndex([AU1, AU2, AU4, AU12], { neitherScored: 'count as agreement' })
    expect(index.value).toBeCloseTo((0.8 + 0 + 1 + 1) / 4, 12)
    expect(index.n).toBe(4)
  })

  it('restricted to one AU it is a / (a + b + c): both present over either present', () => {
    // AU12: image 1 A only, image 2 B only, image 4 both: 1 / 3.
    const one = agreementIndexOf(indexPatternsOfClass(tallyPatterns(AU12)))
    expect(one.value).toBeCloseTo(1 / 3, 12)
    expect(agreementIndexOf(tallyIndexPatterns([AU12])).value).toBeCloseTo(1 / 3, 12)
  })

  it('intensity codes above 0 count as present', () => {
    const intensity = codingsOf(
      [
        [3, 5],
        [0, 2],
      ],
      6,
    )
    expect(agreementIndexOf(tallyIndexPatterns([intensity])).value).toBeCloseTo(0.5, 12)
  })

  it('is null with a reason when no image was compared or nobody scored an AU', () => {
    expect(
      facsAgreementIndex([
        codingsOf(
          [
            [null, 1],
            [0, null],
          ],
          2,
        ),
      ]),
    ).toMatchObject({ value: null, ci95: null, reason: 'no image was coded by both coders' })
    expect(
      facsAgreementIndex([
        codingsOf(
          [
            [0, 0],
            [0, 0],
          ],
          2,
        ),
      ]),
    ).toMatchObject({ value: null, neitherScored: 2 })
  })

  it('bad input names the class: mismatched images, codes out of range, a wrong pair', () => {
    expect(() =>
      tallyIndexPatterns([
        { ...AU1, label: 'AU1' },
        { ...codingsOf([[1, 1]], 2), label: 'AU2' },
      ]),
    ).toThrow('agreement index: AU2 has 1 items, AU1 4')
    expect(() =>
      checkCodings({
        ...codingsOf(
          [
            [0, 1],
            [2, 1],
          ],
          2,
        ),
        label: 'AU6',
      }),
    ).toThrow('codings of AU6: item 2, coder 1 has code 2, outside 0..1')
    expect(() => tallyIndexPatterns([AU1], [0, 2])).toThrow(/coders 1 and 3 are not two of the 2 coders/)
    expect(() => tallyIndexPatterns([])).toThrow(/no AU codings/)
  })
})
