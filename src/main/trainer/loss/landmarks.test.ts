import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { maskedLandmarkLoss } from './landmarks'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// Three faces, 136 coordinates each; the head's outputs are offsets from the crop's centre (0.5).
const outputs = [0.1, -0.2, 0].map((v) => Array.from({ length: 136 }, (_, k) => v + (k % 2 ? 0.01 : 0)))
const targets = [0.5, 0.5, 0.9].map((v) => Array.from({ length: 136 }, () => v))

describe('masked landmark loss', () => {
  it('averages the squared error over the known faces only (hand-computed)', () => {
    // Face 0: points 0.6 and 0.61 against 0.5: (0.1^2 + 0.11^2) / 2 = 0.01105.
    // Face 1: unknown. Face 2: 0.5 and 0.51 against 0.9: (0.4^2 + 0.39^2) / 2 = 0.15605.
    const loss = maskedLandmarkLoss(tf.tensor2d(outputs), tf.tensor2d(targets), tf.tensor1d([1, 0, 1]))
    expect(loss.dataSync()[0]).toBeCloseTo((0.01105 + 0.15605) / 2, 6)
    const one = maskedLandmarkLoss(tf.tensor2d(outputs), tf.tensor2d(targets), tf.tensor1d([0, 1, 0]))
    // Face 1: 0.3 and 0.31 against 0.5: (0.2^2 + 0.19^2) / 2 = 0.03805.
    expect(one.dataSync()[0]).toBeCloseTo(0.03805, 6)
  })

  it('gives unknown faces a gradient of exactly zero, and is 0 when no face is known', () => {
    const known = tf.tensor1d([1, 0, 1])
    const g = tf.grad((x: tf.Tensor) => maskedLandmarkLoss(x as tf.Tensor2D, tf.tensor2d(targets), known))(
      tf.tensor2d(outputs),
    )
    const rows = g.arraySync() as number[][]
    expect(rows[1].every((v) => v === 0)).toBe(true)
    // d/dx of mean over 2 faces of mean over 136 of (x + 0.5 - t)^2 = 2 (x + 0.5 - t) / 136 / 2
    expect(rows[0][0]).toBeCloseTo((2 * 0.1) / 136 / 2, 8)
    const none = maskedLandmarkLoss(tf.tensor2d(outputs), tf.tensor2d(targets), tf.tensor1d([0, 0, 0]))
    expect(none.dataSync()[0]).toBe(0)
  })

  it('names a head or target of the wrong width', () => {
    expect(() => maskedLandmarkLoss(tf.zeros([3, 10]), tf.tensor2d(targets), tf.tensor1d([1, 1, 1]))).toThrow(
      /head gives 10 values/,
    )
  })
})
