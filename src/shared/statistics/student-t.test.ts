import { describe, expect, it } from 'vitest'
import { logGamma, regularizedIncompleteBeta } from './special-functions'
import { studentTCdf, studentTQuantile } from './student-t'

describe('special functions', () => {
  it('ln Γ matches factorials and Γ(½) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13)
    expect(logGamma(21)).toBeCloseTo(Math.log(2432902008176640000), 11)
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13)
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 12) // ln Γ(0.1), by the reflection formula
  })

  it('the incomplete beta has its closed forms: I_x(a, 1) = x^a, I_x(1, b) = 1 - (1 - x)^b', () => {
    for (const x of [0.01, 0.3, 0.5, 0.9, 0.999]) {
      expect(regularizedIncompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 13)
      expect(regularizedIncompleteBeta(x, 1, 7)).toBeCloseTo(1 - (1 - x) ** 7, 13)
    }
    expect(regularizedIncompleteBeta(0.5, 40, 40)).toBeCloseTo(0.5, 13) // symmetry
  })

  it('refuses arguments outside its domain with a clear error', () => {
    expect(() => logGamma(0)).toThrow(/positive/)
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/within \[0, 1\]/)
  })
})

describe("Student's t", () => {
  it('gives the published 97.5% quantiles to 1e-6 (the n - 1 of 2, 3, 5 and 31 seeds)', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706205, 6)
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302653, 6)
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 6)
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272, 6)
    expect(studentTQuantile(0.995, 9)).toBeCloseTo(3.249836, 6)
    expect(studentTQuantile(0.95, 3)).toBeCloseTo(2.353363, 6)
  })

  it('is exact to 1e-11 where scipy 1.10 is off by up to 1e-8 (values from mpmath at 30 digits)', () => {
    // mpmath.findroot on betainc(ν/2, ½, 0, ν/(ν + t²), regularized) / 2 = 1 - p, mp.dps = 30.
    const exact: [number, number, number][] = [
      [0.9, 3, 1.6377443536962104],
      [0.995, 3, 5.840909309733355],
      [0.95, 4, 2.1318467863266495],
      [0.9, 29, 1.311433647301551],
      [0.95, 30, 1.6972608865939574],
    ]
    for (const [p, df, t] of exact) expect(Math.abs(studentTQuantile(p, df) - t)).toBeLessThan(1e-11)
  })

  it('tends to the normal quantile as the degrees of freedom grow', () => {
    expect(studentTQuantile(0.975, 1e5)).toBeCloseTo(1.959988, 6)
  })

  it('is symmetric, and inverts its own distribution function', () => {
    for (const df of [1, 2, 3, 7.5, 30, 200]) {
      for (const p of [0.6, 0.9, 0.975, 0.999]) {
        const t = studentTQuantile(p, df)
        expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 10)
        expect(studentTCdf(t, df)).toBeCloseTo(p, 12)
      }
    }
    expect(studentTQuantile(0.5, 4)).toBe(0)
    expect(studentTCdf(0, 4)).toBeCloseTo(0.5, 15)
  })

  it('refuses p outside (0, 1) and non-positive degrees of freedom', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(/strictly between 0 and 1/)
    expect(() => studentTQuantile(0.975, 0)).toThrow(/degrees of freedom/)
  })
})
