import { describe, expect, it } from 'vitest'
import { auByEmotion, emotionOnlyRows } from './fig2-aus-by-emotion'
import { categoricalReport } from './categorical'
import { evaluate } from './evaluate'
import { perClassScores } from './per-class'
import type { Predictions } from './types'

// Five images over angry, happy, sad, AU6, AU12 (worked by hand below):
//   rows 0-2 emotion-only (true happy, sad, angry; predicted happy, happy, angry),
//   rows 3-4 AU-only (AU6 1/0 predicted .7/.3 -> TP, TN; AU12 0/1 predicted .6/.4 -> FP, FN).
const classes = [
  { code: 'angry', kind: 'emotion' },
  { code: 'happy', kind: 'emotion' },
  { code: 'sad', kind: 'emotion' },
  { code: 'AU6', kind: 'au' },
  { code: 'AU12', kind: 'au' },
] as const
const probabilities = [
  [0.1, 0.7, 0.2, 0.8, 0.9],
  [0.3, 0.5, 0.2, 0.4, 0.6],
  [0.6, 0.3, 0.1, 0.2, 0.1],
  [0.2, 0.5, 0.3, 0.7, 0.6],
  [0.4, 0.4, 0.2, 0.3, 0.4],
]
const labels = [
  [0, 1, 0, 0, 0],
  [0, 0, 1, 0, 0],
  [1, 0, 0, 0, 0],
  [0, 0, 0, 1, 0],
  [0, 0, 0, 0, 1],
]
const mask = [
  [1, 1, 1, 0, 0],
  [1, 1, 1, 0, 0],
  [1, 1, 1, 0, 0],
  [0, 0, 0, 1, 1],
  [0, 0, 0, 1, 1],
]
const predictions = (probs = probabilities): Predictions => ({
  classes: [...classes],
  probabilities: Float32Array.from(probs.flat()),
  labels: Uint8Array.from(labels.flat()),
  mask: Uint8Array.from(mask.flat()),
})

describe('evaluation', () => {
  const result = evaluate(predictions())

  it('scores emotions by the arg-max over the emotion outputs, on rows with a known emotion', () => {
    expect(result.rows).toBe(5)
    expect(result.emotionRows).toBe(3)
    expect(result.emotionAccuracy).toBeCloseTo(2 / 3, 10)
    expect(result.meanPerClassAccuracy).toBeCloseTo(2 / 3, 10) // recall: angry 1, happy 1, sad 0
    expect(result.macroF1).toBeCloseTo(5 / 9, 10) // F1: angry 1, happy 2/3, sad 0
    expect(result.confusion).toEqual({
      labels: ['angry', 'happy', 'sad'],
      matrix: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 1, 0],
      ],
    })
  })

  it('gives per-class accuracy (eq. 3) with the base rate and F1 beside it', () => {
    const byCode = Object.fromEntries(result.perClass.map((c) => [c.code, c]))
    expect(byCode.angry).toMatchObject({ kind: 'emotion', accuracy: 1, support: 3, f1: 1 })
    expect(byCode.happy.accuracy).toBeCloseTo(2 / 3, 10)
    expect(byCode.happy).toMatchObject({ precision: 0.5, recall: 1 })
    expect(byCode.sad).toMatchObject({ precision: null, recall: 0, f1: 0 })
    expect(byCode.AU6).toMatchObject({
      kind: 'au',
      accuracy: 1,
      precision: 1,
      recall: 1,
      f1: 1,
      baseRate: 0.5,
      support: 2,
    })
    expect(byCode.AU12).toMatchObject({ accuracy: 0, precision: 0, recall: 0, f1: 0, baseRate: 0.5, support: 2 })
    expect(result.auF1Mean).toBe(0.5)
    expect(result.auAccuracyMean).toBe(0.5)
  })

  it('builds the Fig. 2 matrix over the emotion-only images', () => {
    expect(Array.from(emotionOnlyRows(predictions()))).toEqual([0, 1, 2])
    const fig = result.auByEmotion
    expect(fig.emotions).toEqual(['angry', 'happy', 'sad'])
    expect(fig.aus).toEqual(['AU6', 'AU12'])
    expect(fig.counts).toEqual([1, 2, 0])
    expect(fig.matrix[0][0]).toBeCloseTo(0.2, 6)
    expect(fig.matrix[0][1]).toBeCloseTo(0.1, 6)
    expect(fig.matrix[1][0]).toBeCloseTo(0.6, 6) // (0.8 + 0.4) / 2
    expect(fig.matrix[1][1]).toBeCloseTo(0.75, 6) // (0.9 + 0.6) / 2
    expect(fig.matrix[2]).toEqual([null, null])
    expect(auByEmotion(predictions(), [3]).counts).toEqual([0, 1, 0])
  })

  it('evaluates a subset of rows and another AU threshold', () => {
    const sub = evaluate(predictions(), { rows: [0, 3], threshold: 0.65 })
    expect(sub.emotionAccuracy).toBe(1)
    const au12 = sub.perClass.find((c) => c.code === 'AU12')!
    expect(au12).toMatchObject({ accuracy: 1, support: 1, f1: null }) // 0.6 < 0.65: a true negative
    expect(sub.auByEmotion.counts).toEqual([0, 1, 0])
  })

  it("leaves a class out of the arg-max when its probability is NaN (restricting to a dataset's emotions)", () => {
    const probs = probabilities.map((r) => [...r])
    probs[1][1] = Number.NaN // row 1 can no longer be called happy: sad (0.2) loses to angry (0.3)
    const r = categoricalReport(predictions(probs), 'emotion')
    expect(r.confusion.matrix[2]).toEqual([1, 0, 0])
  })

  it('reports null, not 0 or NaN, when there is nothing to score', () => {
    const none = evaluate(predictions(), { rows: [3, 4] })
    expect(none.emotionAccuracy).toBeNull()
    expect(none.meanPerClassAccuracy).toBeNull()
    expect(none.compound).toBeNull()
    expect(perClassScores(predictions(), { rows: [3] }).find((c) => c.code === 'happy')).toMatchObject({
      accuracy: null,
      baseRate: null,
      support: 0,
    })
  })

  it('scores compound emotions apart from the basic ones', () => {
    const p: Predictions = {
      classes: [
        { code: 'happy', kind: 'emotion' },
        { code: 'happily_surprised', kind: 'compound' },
        { code: 'sadly_angry', kind: 'compound' },
      ],
      probabilities: Float32Array.from([0.9, 0.2, 0.7, 0.1, 0.6, 0.3, 0.5, 0.1, 0.8]),
      labels: Uint8Array.from([0, 0, 1, 0, 1, 0, 0, 1, 0]), // true: sadly_angry, happily_surprised, happily_surprised
      mask: Uint8Array.from([0, 1, 1, 0, 1, 1, 0, 1, 1]),
    }
    const r = evaluate(p)
    expect(r.emotionRows).toBe(0)
    expect(r.compound).toMatchObject({ rows: 3, accuracy: 2 / 3, meanPerClassAccuracy: 0.75 })
    expect(r.compound!.confusion).toEqual({
      labels: ['happily_surprised', 'sadly_angry'],
      matrix: [
        [1, 1],
        [0, 1],
      ],
    })
  })

  it('says when the matrices do not match the class list', () => {
    expect(() => evaluate({ ...predictions(), mask: new Uint8Array(3) })).toThrow(
      /5 classes but 25 probabilities, 25 labels and 3 mask values/,
    )
  })
})
