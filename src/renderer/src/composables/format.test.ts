import { describe, expect, it } from 'vitest'
import { duration, metricLabel, percent } from './format'

describe('format', () => {
  it('writes shares as the paper does and marks what was not measured', () => {
    expect(percent(0.4125)).toBe('41.3%')
    expect(percent(null)).toBe('–')
    expect(percent(Number.NaN)).toBe('–')
  })

  it('writes durations in words', () => {
    expect(duration(12)).toBe('12 s')
    expect(duration(75)).toBe('1 min 15 s')
    expect(duration(4000)).toBe('1 h 6 min')
    expect(duration(null)).toBe('–')
  })

  it('names metrics as a researcher says them, with the loss head', () => {
    expect(metricLabel('val', 'auF1Mean')).toBe('Validation mean AU F1')
    expect(metricLabel('train', 'loss/demo-au')).toBe('Training loss (demo-au)')
    expect(metricLabel('train', 'loss/union')).toBe('Training loss (all classes)')
  })
})
