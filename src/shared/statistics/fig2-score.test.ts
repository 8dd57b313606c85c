import { describe, expect, it } from 'vitest'
import { auByEmotion } from '../metrics/fig2-aus-by-emotion'
import type { Predictions } from '../metrics/types'
import { scoreAuByEmotion, type AuByEmotionMatrix } from './fig2-score'

const reference: AuByEmotionMatrix = {
  emotions: ['happy', 'sad', 'surprise'],
  aus: ['AU1', 'AU6', 'AU12'],
  matrix: [
    [0, 1, 1],
    [1, 0, 0],
    [1, 0, 0],
  ],
}

describe('Fig. 2 score', () => {
  it('compares the cells of the emotions predicted, by hand', () => {
    const predicted: AuByEmotionMatrix = {
      emotions: ['happy', 'sad', 'surprise'],
      aus: ['AU1', 'AU6', 'AU12'],
      matrix: [
        [0.1, 0.8, 0.9],
        [0.6, 0.2, null],
        [null, null, null],
      ],
      counts: [40, 12, 0],
    }
    const score = scoreAuByEmotion(predicted, reference)
    // Cells: (0.1, 0) (0.8, 1) (0.9, 1) (0.6, 1) (0.2, 0): |errors| 0.1 0.2 0.1 0.4 0.2, mean 0.2.
    expect(score.meanAbsoluteError.value).toBeCloseTo(0.2, 14)
    expect(score.cells).toBe(5)
    expect(score.emotions).toEqual(['happy', 'sad'])
    expect(score.emotionsNeverPredicted).toEqual(['surprise'])
    // Ranks predicted 1 4 5 3 2, reference (ties) 1.5 4 4 4 1.5; centred on 3: ρ = 7.5 / √(10 · 7.5) = 0.8660254.
    expect(score.spearman.value).toBeCloseTo(7.5 / Math.sqrt(75), 12)
  })

  it('matches rows and columns by code, and names what the reference lacks', () => {
    const predicted: AuByEmotionMatrix = {
      emotions: ['sad', 'happily_surprised', 'happy'],
      aus: ['AU12', 'AU25', 'AU6', 'AU1'],
      matrix: [
        [0, 0.5, 0, 1],
        [0.7, 0.7, 0.7, 0.7],
        [1, 0.3, 1, 0],
      ],
    }
    const score = scoreAuByEmotion(predicted, reference)
    expect(score.meanAbsoluteError.value).toBe(0)
    expect(score.spearman.value).toBeCloseTo(1, 14)
    expect(score.cells).toBe(6)
    expect(score.withoutReference).toEqual(['AU25', 'happily_surprised'])
    expect(score.emotionsNeverPredicted).toEqual([])
  })

  it('no emotion predicted: both numbers null with their reasons', () => {
    const predicted: AuByEmotionMatrix = { ...reference, matrix: reference.matrix.map((row) => row.map(() => null)) }
    const score = scoreAuByEmotion(predicted, reference)
    expect(score.meanAbsoluteError).toMatchObject({ value: null, reason: 'no pairs of values' })
    expect(score.spearman.value).toBeNull()
    expect(score.emotionsNeverPredicted).toEqual(['happy', 'sad', 'surprise'])
  })

  it("scores the evaluation's own Fig. 2 matrix: rows of emotions never predicted are left out by their count", () => {
    // Three images, emotions happy / sad, AUs AU6 / AU12: two predicted happy, none sad.
    const p: Predictions = {
      classes: [
        { code: 'happy', kind: 'emotion' },
        { code: 'sad', kind: 'emotion' },
        { code: 'AU6', kind: 'au' },
        { code: 'AU12', kind: 'au' },
      ],
      probabilities: Float32Array.from([0.9, 0.1, 0.5, 0.75, 0.8, 0.2, 0.25, 0.25]),
      labels: new Uint8Array(8),
      mask: new Uint8Array(8),
    }
    const fig2 = auByEmotion(p)
    const score = scoreAuByEmotion(fig2, {
      emotions: ['happy', 'sad'],
      aus: ['AU6', 'AU12'],
      matrix: [
        [1, 1],
        [0, 0],
      ],
    })
    expect(score.emotions).toEqual(['happy'])
    expect(score.emotionsNeverPredicted).toEqual(['sad'])
    expect(score.meanAbsoluteError.value).toBeCloseTo((0.625 + 0.5) / 2, 6) // means 0.375 and 0.5 against 1
  })
})
