import { describe, expect, it } from 'vitest'
import { planDemo, type DatasetPlan } from './plan'
import type { Split } from '../../shared/contract'

// The shape of the medium demo the tour and `affect experiment paper` train on, decided before any
// pixel is drawn (planning alone takes milliseconds).

const count = (plan: DatasetPlan, split: Split, emotion?: string): number =>
  plan.faces.filter((f) => f.split === split && (emotion === undefined || f.emotion === emotion)).length

describe('planDemo (medium)', () => {
  const [emotion, au, compound] = planDemo(1, 'medium')

  it('has about 3,000 faces, most of them AU-only, as in the paper where EmotioNet dwarfs SFEW', () => {
    const total = emotion.faces.length + au.faces.length + compound.faces.length
    expect(total).toBeGreaterThan(2800)
    expect(total).toBeLessThan(3300)
    expect(au.faces.length).toBeGreaterThan(2 * emotion.faces.length)
  })

  it('splits each emotion like SFEW (half to train, a third to test), the AU set 70 / 15 / 15', () => {
    for (const e of emotion.classCodes) {
      expect([count(emotion, 'train', e), count(emotion, 'val', e), count(emotion, 'test', e)], e).toEqual([50, 15, 35])
    }
    expect([count(au, 'train'), count(au, 'val'), count(au, 'test')]).toEqual([1400, 300, 300])
  })
})
