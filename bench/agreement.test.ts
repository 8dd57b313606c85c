import { describe, expect, it } from 'vitest'
import { agreementBenchLines, runAgreementBench } from './agreement'

// The benchmark itself runs at full size from `affect bench agreement` (or `npx tsx bench/agreement.ts`);
// here only that it builds what it says and times the real call, on a small size. Its speed is never
// checked in a test.
describe('agreement benchmark', () => {
  it('builds two coders x 40 classes per image, reports each AU and the emotion with sane kappas, and says so', async () => {
    const r = await runAgreementBench({ images: 400 })
    expect(r).toMatchObject({ images: 400, classes: 40, coders: 2, targetSeconds: 2, reportedClasses: 32 })
    expect(r.codings).toBeGreaterThan(400 * 40 * 2 * 0.95)
    expect(r.codings).toBeLessThan(400 * 40 * 2)
    expect(r.meanKappa).toBeGreaterThan(0.3)
    expect(r.meanKappa).toBeLessThan(0.95)
    expect(r.readSeconds).toBeGreaterThan(0)
    expect(r.statisticsSeconds).toBeGreaterThan(0)
    expect(agreementBenchLines(r)[0]).toContain('400 images x 40 classes x 2 coders')
  })
})
