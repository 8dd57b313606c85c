import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { maskedSoftmaxCrossEntropy } from './masked-softmax'
import { selectiveSigmoidCrossEntropy } from './selective-sigmoid'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// Plain binary cross-entropy by hand, in float64, over the known labels only (paper eq. 1).
function handLoss(x: number[][], y: number[][], m: number[][]): number {
  const n = x[0].length
  let total = 0
  x.forEach((row, i) => {
    let sum = 0
    row.forEach((xi, j) => {
      if (!m[i][j]) return
      const p = 1 / (1 + Math.exp(-xi))
      sum += -(y[i][j] * Math.log(p) + (1 - y[i][j]) * Math.log(1 - p))
    })
    total += sum / n
  })
  return total / x.length
}

const x = [
  [2.5, -1.2, 0.3, 4.0],
  [-3.1, 0.0, 1.7, -0.4],
  [0.9, -2.2, -5.0, 3.3],
]
const y = [
  [1, 0, 1, 0],
  [0, 1, 1, 0],
  [1, 0, 0, 1],
]
const masks: Record<string, number[][]> = {
  'every label known': [
    [1, 1, 1, 1],
    [1, 1, 1, 1],
    [1, 1, 1, 1],
  ],
  'emotion-only and AU-only rows': [
    [1, 1, 0, 0],
    [0, 0, 1, 1],
    [1, 1, 0, 0],
  ],
  'a row with no known label': [
    [1, 0, 1, 0],
    [0, 0, 0, 0],
    [0, 1, 1, 1],
  ],
  'nothing known': [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ],
}

describe('selective sigmoid cross-entropy', () => {
  for (const [name, m] of Object.entries(masks)) {
    it(`equals binary cross-entropy over the known labels / N (${name})`, () => {
      const loss = selectiveSigmoidCrossEntropy(tf.tensor2d(x), tf.tensor2d(y), tf.tensor2d(m))
      expect(Math.abs(loss.dataSync()[0] - handLoss(x, y, m))).toBeLessThan(1e-6)
    })
  }

  it('stays finite for huge logits where log(sigmoid) would overflow', () => {
    const loss = selectiveSigmoidCrossEntropy(tf.tensor2d([[200, -200]]), tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]]))
    expect(loss.dataSync()[0]).toBeCloseTo(200, 3)
  })

  it('gives unknown labels a gradient of exactly zero, and known ones a non-zero one', () => {
    const m = masks['a row with no known label']
    const grad = tf.grad((logits: tf.Tensor) =>
      selectiveSigmoidCrossEntropy(logits as tf.Tensor2D, tf.tensor2d(y), tf.tensor2d(m)),
    )(tf.tensor2d(x))
    const g = grad.arraySync() as number[][]
    g.forEach((row, i) => row.forEach((v, j) => (m[i][j] ? expect(v).not.toBe(0) : expect(Math.abs(v)).toBe(0))))
    // d/dx of BCE / N / batch = (sigmoid(x) - y) / N / batch
    const expected = (1 / (1 + Math.exp(-x[0][0])) - y[0][0]) / 4 / 3
    expect(g[0][0]).toBeCloseTo(expected, 6)
  })

  it('names the tensor whose shape is wrong', () => {
    expect(() => selectiveSigmoidCrossEntropy(tf.tensor2d(x), tf.tensor2d(y), tf.ones([3, 3]) as tf.Tensor2D)).toThrow(
      /mask has shape \[3, 3\]/,
    )
  })
})

describe('masked softmax cross-entropy', () => {
  const logits = [
    [2, 0, -1],
    [0.5, 0.5, 3],
    [1, 2, 3],
  ]
  const oneHot = [
    [1, 0, 0],
    [0, 0, 1],
    [0, 1, 0],
  ]
  const hand = (rows: number[]): number =>
    rows.reduce((s, i) => {
      const z = logits[i].reduce((a, v) => a + Math.exp(v), 0)
      return s - Math.log(Math.exp(logits[i][oneHot[i].indexOf(1)]) / z)
    }, 0) / rows.length

  it('averages the cross-entropy over rows with a known emotion only', () => {
    const loss = maskedSoftmaxCrossEntropy(tf.tensor2d(logits), tf.tensor2d(oneHot), tf.tensor1d([1, 0, 1]))
    expect(Math.abs(loss.dataSync()[0] - hand([0, 2]))).toBeLessThan(1e-6)
    const all = maskedSoftmaxCrossEntropy(tf.tensor2d(logits), tf.tensor2d(oneHot), tf.tensor1d([1, 1, 1]))
    expect(Math.abs(all.dataSync()[0] - hand([0, 1, 2]))).toBeLessThan(1e-6)
  })

  it('is zero with zero gradient when no row has a known emotion', () => {
    const f = (l: tf.Tensor) => maskedSoftmaxCrossEntropy(l as tf.Tensor2D, tf.tensor2d(oneHot), tf.tensor1d([0, 0, 0]))
    expect(f(tf.tensor2d(logits)).dataSync()[0]).toBe(0)
    expect(Array.from(tf.grad(f)(tf.tensor2d(logits)).dataSync()).every((v) => v === 0)).toBe(true)
  })
})
