import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { HeadView } from '../data/snapshot'
import { headProbabilities, toUnionLayout } from './probabilities'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('probabilities over the union label space', () => {
  it('uses a softmax over the emotion positions and a sigmoid over the AU positions, in head order', () => {
    const view: HeadView = { head: 'M', datasetIndex: 0, columns: [3, 0, 5], softmax: [0, 2], sigmoid: [1] }
    const [p] = headProbabilities(view, tf.tensor2d([[1, 0, 1]])).arraySync() as number[][]
    expect(p[0]).toBeCloseTo(0.5, 6)
    expect(p[2]).toBeCloseTo(0.5, 6)
    expect(p[1]).toBeCloseTo(0.5, 6)
    const [q] = headProbabilities(view, tf.tensor2d([[2, 3, 0]])).arraySync() as number[][]
    expect(q[0] + q[2]).toBeCloseTo(1, 6)
    expect(q[1]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6)
  })

  it("places each head's columns, NaN where nothing predicts, the row's own dataset head winning", () => {
    const views: HeadView[] = [
      { head: 'E', datasetIndex: 0, columns: [0, 1], softmax: [0, 1], sigmoid: [] },
      { head: 'M', datasetIndex: 1, columns: [1, 2], softmax: [0], sigmoid: [1] },
    ]
    const out = toUnionLayout(
      views,
      { E: Float32Array.from([0.9, 0.1, 0.8, 0.2]), M: Float32Array.from([0.3, 0.4, 0.5, 0.6]) },
      [0, 1],
      4,
    )
    expect(Array.from(out.subarray(0, 3))).toEqual([0.9, 0.1, 0.4].map(Math.fround))
    expect(Array.from(out.subarray(4, 7))).toEqual([0.8, 0.5, 0.6].map(Math.fround))
    expect(Number.isNaN(out[3]) && Number.isNaN(out[7])).toBe(true)
  })
})
