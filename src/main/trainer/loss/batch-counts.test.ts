import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainingMethod } from '../../../shared/run-config'
import { headViews } from '../data/snapshot'
import { snapshot } from './label-space.fixture'
import { batchCounts, headDenominators, partDenominator } from './batch-counts'
import { headLoss } from './for-method'
import { LANDMARK_UNITS, maskedLandmarkLoss } from './landmarks'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// The union label space of label-space.fixture.ts: dataset E annotates emotions, A AUs, M one of each.

// 7 rows split 4 + 3: the E rows of the first part all have an emotion, the second part's one E
// row none; M's 'sad' is known absent on one row (no known emotion) and present on the other.
const labels = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 1, 0, 1],
  [0, 0, 0, 0],
  [0, 0, 0, 1],
  [0, 0, 0, 1],
]
const mask = [
  [1, 1, 0, 0],
  [1, 1, 0, 0],
  [0, 0, 1, 1],
  [0, 1, 0, 1],
  [0, 0, 0, 0],
  [0, 0, 1, 1],
  [0, 1, 0, 1],
]
const datasetIndex = [0, 0, 1, 2, 0, 1, 2]
const parts: [number, number][] = [
  [0, 4],
  [4, 7],
]
const logits = [
  [1, -1, 0.5, 2],
  [0.2, 0.3, -2, 1],
  [-1, 2, 0, -0.5],
  [0.7, -0.3, 1.5, -1],
  [2, 1, -1, 0.1],
  [-0.4, 0.9, 0.3, 1.2],
  [0.6, -2, 1, -0.8],
]

const rowsOf = <T>(xs: T[], [from, to]: [number, number]): T[] => xs.slice(from, to)
const flat = { labels: labels.flat(), mask: mask.flat(), datasetIndex }

describe('the whole batch counts', () => {
  it('count each head its rows and its rows with a known emotion, and the known landmarks', () => {
    const views = headViews(snapshot, { method: 'multitask', datasets: [] })
    const counts = batchCounts(views, { ...flat, landmarksKnown: [1, 0, 0, 1, 1, 0, 0] }, 4)
    expect(counts).toEqual({
      images: 7,
      heads: { E: { rows: 3, emotionRows: 2 }, A: { rows: 2, emotionRows: 0 }, M: { rows: 2, emotionRows: 1 } },
      landmarkRows: 3,
    })
  })

  it('give a part the whole count times its share, and 1 when the batch has none', () => {
    expect(partDenominator(2, 4, 7)).toBeCloseTo(8 / 7, 12)
    expect(partDenominator(31, 16, 31)).toBe(16)
    expect(partDenominator(0, 4, 7)).toBe(1)
  })
})

describe.each([
  ['sjmt', undefined],
  ['multitask', undefined],
  ['single', 'E'],
] as const)("a batch's loss in two uneven parts, %s", (method: TrainingMethod, dataset) => {
  const views = headViews(snapshot, { method, datasets: dataset ? [dataset] : [] })
  const counts = batchCounts(views, flat, 4)
  const headsOf = (x: tf.Tensor2D): Record<string, tf.Tensor2D> =>
    Object.fromEntries(views.map((v) => [v.head, tf.gather(x, v.columns, 1) as tf.Tensor2D]))

  /** The whole batch's loss, or the parts' losses each weighted by its share of the images. */
  const loss = (x: tf.Tensor2D, inParts: boolean): tf.Scalar => {
    const pieces: [number, number][] = inParts ? parts : [[0, 7]]
    let total = tf.scalar(0)
    for (const part of pieces) {
      const n = part[1] - part[0]
      const rows = tf.slice(x, [part[0], 0], [n, 4])
      const batch = {
        labels: tf.tensor2d(rowsOf(labels, part)),
        mask: tf.tensor2d(rowsOf(mask, part)),
        datasetIndex: rowsOf(datasetIndex, part),
      }
      for (const view of views) {
        const denominators = inParts ? headDenominators(counts, view.head, n) : undefined
        const l = headLoss(view, headsOf(rows)[view.head], batch, denominators)
        if (l) total = total.add(l.mul(n / 7))
      }
    }
    return total as tf.Scalar
  }

  it("weighted by their shares, the parts' losses and gradients are the whole batch's", () => {
    const x = tf.tensor2d(logits)
    const whole = tf
      .grad((t: tf.Tensor) => loss(t as tf.Tensor2D, false))(x)
      .arraySync() as number[][]
    const split = tf
      .grad((t: tf.Tensor) => loss(t as tf.Tensor2D, true))(x)
      .arraySync() as number[][]
    expect(loss(x, true).dataSync()[0]).toBeCloseTo(loss(x, false).dataSync()[0], 6)
    split.forEach((row, r) => row.forEach((g, c) => expect(g, `row ${r}, column ${c}`).toBeCloseTo(whole[r][c], 6)))
    expect(whole.flat().some((g) => g !== 0)).toBe(true)
  })
})

describe('the landmark loss in two uneven parts', () => {
  it("weighted by their shares, adds up to the whole batch's mean over its known rows", () => {
    const random = (i: number) => Math.sin(i * 12.9898) * 0.5
    const outputs = tf.tensor2d(
      Array.from({ length: 7 * LANDMARK_UNITS }, (_, i) => random(i)),
      [7, LANDMARK_UNITS],
    )
    const targets = tf.tensor2d(
      Array.from({ length: 7 * LANDMARK_UNITS }, (_, i) => 0.5 + random(i + 1000)),
      [7, LANDMARK_UNITS],
    )
    const known = [1, 1, 1, 0, 0, 1, 0]
    const whole = maskedLandmarkLoss(outputs, targets, tf.tensor1d(known)).dataSync()[0]
    const split = parts.reduce((sum, [from, to]) => {
      const n = to - from
      const part = maskedLandmarkLoss(
        tf.slice(outputs, [from, 0], [n, LANDMARK_UNITS]),
        tf.slice(targets, [from, 0], [n, LANDMARK_UNITS]),
        tf.tensor1d(known.slice(from, to)),
        partDenominator(4, n, 7),
      )
      return sum + (n / 7) * part.dataSync()[0]
    }, 0)
    expect(split).toBeCloseTo(whole, 6)
  })
})
