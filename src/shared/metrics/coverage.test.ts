import { describe, expect, it } from 'vitest'
import { describeCoverage } from './coverage'

describe('describeCoverage', () => {
  it('says how many images of the split were scored and how many have no prediction', () => {
    expect(describeCoverage('test', { datasets: ['a'], images: 600, scored: 593, unpredicted: 7 })).toBe(
      'Scored 593 of 600 test images; 7 have no prediction from this run.',
    )
    expect(describeCoverage('val', { datasets: ['a'], images: 1200, scored: 1199, unpredicted: 1 })).toBe(
      'Scored 1,199 of 1,200 val images; 1 has no prediction from this run.',
    )
  })

  it('says so when every image was scored, or when the split is empty', () => {
    expect(describeCoverage('test', { datasets: ['a', 'b'], images: 600, scored: 600, unpredicted: 0 })).toBe(
      'Scored all 600 test images.',
    )
    expect(describeCoverage('val', { datasets: ['a'], images: 0, scored: 0, unpredicted: 0 })).toBe(
      'No val images in a.',
    )
  })
})
