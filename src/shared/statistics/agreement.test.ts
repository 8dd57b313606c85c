import { describe, expect, it } from 'vitest'
import { KRIPPENDORFF_2011 } from '../../../test/helpers/agreement-examples'
import { codingsOf } from '../../../test/helpers/codings'
import { mulberry32, randomInt } from '../random'
import { classAgreement, coderMatrix, FACS_PASS_MARK } from './agreement'
import { quantileOfSorted } from './bootstrap'
import { tallyPatterns, type Codings } from './codings'
import { cohenKappa } from './kappa'

/** Two coders on n items of one AU: a hidden truth with base rate `rate`, each coder wrong with probability `noise`. */
function simulated(n: number, rate: number, noise: number, seed: number): Codings {
  const random = mulberry32(seed)
  const rows = Array.from({ length: n }, () => {
    const truth = random() < rate ? 1 : 0
    return [0, 1].map(() => (random() < noise ? 1 - truth : truth))
  })
  return codingsOf(rows, 2)
}

describe('agreement on one class', () => {
  it('two coders: every coefficient with n and a 95% interval around it', () => {
    const a = classAgreement({ ...simulated(400, 0.3, 0.1, 1), label: 'AU12' }, { seed: 9 })
    expect(a).toMatchObject({ label: 'AU12', coders: 2, items: 400, n: 400 })
    for (const c of [a.cohenKappa, a.fleissKappa, a.krippendorffAlpha, a.agreementIndex]) {
      expect(c.value).not.toBeNull()
      expect(c.n).toBe(c === a.agreementIndex ? 177 : 400) // the index counts the images where someone scored AU12
      expect(c.ci95![0]).toBeLessThan(c.value!)
      expect(c.ci95![1]).toBeGreaterThan(c.value!)
    }
    // With pairable values this many, alpha and Fleiss (Scott) nearly equal Cohen's kappa.
    expect(a.krippendorffAlpha.value).toBeCloseTo(a.cohenKappa.value!, 2)
    expect(classAgreement(simulated(400, 0.3, 0.1, 1), { seed: 9 }).cohenKappa).toEqual(a.cohenKappa)
    expect(FACS_PASS_MARK).toBe(0.7)
  })

  it('the interval over patterns matches resampling the items one by one (kappa, 1,000 items)', () => {
    const codings = simulated(1000, 0.25, 0.12, 4)
    const fast = classAgreement(codings, { seed: 2, resamples: 2000 }).cohenKappa.ci95!
    // The slow way: draw 1,000 item indices with replacement, re-tally, score.
    const random = mulberry32(77)
    const replicates = Array.from({ length: 2000 }, () => {
      const codes = new Int32Array(2000)
      for (let i = 0; i < 1000; i++) {
        const item = randomInt(random, 1000)
        codes[2 * i] = codings.codes[2 * item]
        codes[2 * i + 1] = codings.codes[2 * item + 1]
      }
      return cohenKappa(tallyPatterns({ ...codings, codes })).value!
    }).sort((x, y) => x - y)
    expect(fast[0]).toBeCloseTo(quantileOfSorted(replicates, 0.025), 1)
    expect(fast[1]).toBeCloseTo(quantileOfSorted(replicates, 0.975), 1)
    expect(Math.abs(fast[0] - quantileOfSorted(replicates, 0.025))).toBeLessThan(0.015)
    expect(Math.abs(fast[1] - quantileOfSorted(replicates, 0.975))).toBeLessThan(0.015)
  })

  it('three or more coders: Fleiss and alpha for all, Cohen and the index only for a chosen pair', () => {
    const all = classAgreement(codingsOf(KRIPPENDORFF_2011, 5), { resamples: 500 })
    expect(all.cohenKappa).toMatchObject({ value: null, ci95: null, reason: expect.stringContaining('4 coders') })
    expect(all.fleissKappa.value).toBeCloseTo(0.76117, 5)
    expect(all.krippendorffAlpha.value).toBeCloseTo(0.743421, 6)
    expect(all.n).toBe(11)
    const pair = classAgreement(codingsOf(KRIPPENDORFF_2011, 5), { pair: [1, 3], resamples: 500 })
    expect(pair.cohenKappa.value).not.toBeNull()
    expect(pair.cohenKappa.n).toBe(10) // the items coders 2 and 4 both coded
  })

  it('a class everyone coded absent: kappa and alpha null with their reasons, never NaN', () => {
    const a = classAgreement(
      codingsOf(
        [
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        2,
      ),
    )
    expect(a.cohenKappa).toMatchObject({
      value: null,
      ci95: null,
      ciReason: expect.stringContaining('same single category'),
    })
    expect(a.fleissKappa.value).toBeNull()
    expect(a.krippendorffAlpha.value).toBeNull()
    expect(a.agreementIndex).toMatchObject({ value: null, reason: expect.stringContaining('neither coder scored') })
    expect(JSON.stringify(a)).not.toContain('NaN')
  })

  it('a kappa undefined in some resamples: the interval is over the resamples where it is defined', () => {
    // One item both coded present among 60: about (59/60)^60 = 37% of resamples miss it, and
    // there both coders say "absent" to everything (kappa undefined); elsewhere kappa is 1.
    const a = classAgreement(codingsOf([[1, 1], ...Array.from({ length: 59 }, () => [0, 0])], 2), { resamples: 400 })
    expect(a.cohenKappa).toMatchObject({ value: 1, n: 60, ci95: [1, 1] })
  })

  it('the coder-by-coder matrix is symmetric with an empty diagonal', () => {
    const m = coderMatrix(codingsOf(KRIPPENDORFF_2011, 5))
    expect(m).toHaveLength(4)
    expect(m[0][0]).toBeNull()
    expect(m[1][2]!.value).toBeCloseTo(m[2][1]!.value!, 14)
    expect(m[1][3]!.n).toBe(10)
  })
})
