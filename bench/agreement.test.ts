import { describe, expect, it } from 'vitest'
import { agreementBenchLines, runAgreementBench } from './agreement'

// The benchmark itself runs at full size from `affect bench` (or `npx tsx bench/agreement.ts`);
// here only that it computes what it says, on a small size. Its speed is never checked in a test.
describe('agreement benchmark', () => {
  it('computes every class and the index, with sane kappas, and says so in its lines', () => {
    const r = runAgreementBench({ images: 3000, classes: 5, resamples: 100 })
    expect(r).toMatchObject({ images: 3000, classes: 5, coders: 2, resamples: 100, targetSeconds: 2 })
    expect(r.meanKappa).toBeGreaterThan(0.3)
    expect(r.meanKappa).toBeLessThan(0.95)
    expect(r.seconds).toBeGreaterThanOrEqual(r.perClassSeconds)
    expect(agreementBenchLines(r)[0]).toContain('3,000 double-coded images x 5 classes, 100 bootstrap resamples')
  })
})
