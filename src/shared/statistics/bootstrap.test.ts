import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../random'
import { bootstrapCounts, bootstrapValues, quantileOfSorted } from './bootstrap'
import { binomial, logFactorial, multinomialInto } from './multinomial'
import { logGamma } from './special-functions'

const binomialProbability = (n: number, k: number, p: number) =>
  Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p))

describe('binomial and multinomial draws', () => {
  it('draw each outcome with its binomial probability, by inversion (small means) and by rejection (BTRS)', () => {
    // Pearson's chi-square against the exact probabilities over the cells expecting 20 or more
    // draws; a fixed seed, so the statistic is the same on every run. Under the right law it has
    // about `cells` degrees of freedom: refuse anything beyond cells + 5 standard deviations.
    for (const [n, p] of [
      [20, 0.2],
      [40, 0.3],
      [200, 0.3],
      [5000, 0.9],
    ]) {
      const random = mulberry32(7)
      const draws = 200_000
      const seen = new Float64Array(n + 1)
      for (let i = 0; i < draws; i++) seen[binomial(random, n, p)]++
      let chiSquare = 0
      let cells = 0
      let mean = 0
      for (let k = 0; k <= n; k++) {
        mean += (k * seen[k]) / draws
        const expected = draws * binomialProbability(n, k, p)
        if (expected < 20) continue
        chiSquare += (seen[k] - expected) ** 2 / expected
        cells++
      }
      expect(chiSquare, `Binomial(${n}, ${p})`).toBeLessThan(cells + 5 * Math.sqrt(2 * cells))
      expect(Math.abs(mean - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / draws))
    }
  })

  it("ln k! from its table and from Stirling's series equals the sum of logs on both sides of the switch", () => {
    for (const k of [0, 1, 7, 255, 256, 257, 1000, 100_000]) {
      let exact = 0
      for (let j = 2; j <= k; j++) exact += Math.log(j)
      expect(Math.abs(logFactorial(k) - exact), `ln ${k}!`).toBeLessThan(1e-13 * Math.max(1, exact))
    }
  })

  it('covers the edges: p = 0, p = 1, n = 0', () => {
    const random = mulberry32(1)
    expect(binomial(random, 10, 0)).toBe(0)
    expect(binomial(random, 10, 1)).toBe(10)
    expect(binomial(random, 0, 0.5)).toBe(0)
  })

  it('a multinomial draw keeps the total and gives nothing to empty patterns', () => {
    const random = mulberry32(3)
    const out = new Float64Array(4)
    for (let i = 0; i < 100; i++) {
      multinomialInto(random, 100_000, [60_000, 0, 39_990, 10], out)
      expect(out.reduce((a, b) => a + b, 0)).toBe(100_000)
      expect(out[1]).toBe(0)
    }
  })
})

describe('percentile bootstrap', () => {
  it('quantiles interpolate between order statistics (Hyndman-Fan type 7, as numpy.quantile)', () => {
    const sorted = [1, 2, 4, 8, 16]
    expect(quantileOfSorted(sorted, 0)).toBe(1)
    expect(quantileOfSorted(sorted, 1)).toBe(16)
    expect(quantileOfSorted(sorted, 0.5)).toBe(4)
    expect(quantileOfSorted(sorted, 0.025)).toBeCloseTo(1.1, 12) // numpy.quantile([1,2,4,8,16], 0.025) = 1.1
    expect(quantileOfSorted(sorted, 0.975)).toBeCloseTo(15.2, 12) // 8 + 0.9 · (16 - 8)
  })

  it('is seeded: the same seed gives the same interval', () => {
    const values = [0.61, 0.64, 0.7, 0.58, 0.66, 0.69, 0.63]
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]
    const a = bootstrapValues(values, median, { seed: 11 })
    expect(bootstrapValues(values, median, { seed: 11 })).toEqual(a)
    expect(a.resamples).toBe(2000)
    expect(a.defined).toBe(2000)
    expect(a.ci95![0]).toBeGreaterThanOrEqual(0.58)
    expect(a.ci95![1]).toBeLessThanOrEqual(0.7)
    expect(a.ci95![0]).toBeLessThan(median(values))
  })

  it('over patterns, gives the interval resampling the items would: a proportion of 400 items', () => {
    // 120 of 400 items "present": the normal interval is 0.3 ± 1.96 · √(0.3 · 0.7 / 400) = [0.2551, 0.3449].
    const counts = Float64Array.from([120, 280])
    const [interval] = bootstrapCounts(counts, [(c) => c[0] / (c[0] + c[1])], { seed: 5, resamples: 4000 })
    expect(interval.ci95![0]).toBeCloseTo(0.2551, 2)
    expect(interval.ci95![1]).toBeCloseTo(0.3449, 2)
  })

  it('leaves out resamples where the statistic is undefined, and gives no interval when most are', () => {
    const counts = Float64Array.from([1, 9])
    const [rare, never] = bootstrapCounts(counts, [(c) => (c[0] === 0 ? null : c[0]), () => null], { resamples: 500 })
    expect(rare.defined).toBeLessThan(500) // about e^-1 of the resamples miss the single item
    expect(rare.defined).toBeGreaterThan(250)
    expect(rare.ci95![0]).toBeGreaterThanOrEqual(1)
    expect(never).toEqual({ ci95: null, resamples: 500, defined: 0 })
  })
})
