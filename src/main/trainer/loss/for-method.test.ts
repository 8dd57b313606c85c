import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { headViews } from '../data/snapshot'
import { snapshot } from './label-space.fixture'
import { lossForMethod } from './for-method'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// The union label space of label-space.fixture.ts: dataset E annotates emotions, A AUs, M one of each.

// A batch of 3 rows: one from each dataset, labels over the union, unknown outside L^k.
const labels = [
  [1, 0, 0, 0],
  [0, 0, 1, 0],
  [0, 1, 0, 1],
]
const mask = [
  [1, 1, 0, 0],
  [0, 0, 1, 1],
  [0, 1, 0, 1],
]
const datasetIndex = [0, 1, 2]
const batch = () => ({ labels: tf.tensor2d(labels), mask: tf.tensor2d(mask), datasetIndex })

const bce = (x: number, y: number): number => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)))
const softmaxCe = (xs: number[], target: number): number =>
  Math.log(xs.reduce((a, v) => a + Math.exp(v), 0)) - xs[target]

describe('loss for each training method', () => {
  it('sjmt: selective sigmoid over the union, every row, divided by N = 4', () => {
    const views = headViews(snapshot, { method: 'sjmt', datasets: [] })
    const x = [
      [1, -1, 0.5, 2],
      [0.2, 0.3, -2, 1],
      [-1, 2, 0, -0.5],
    ]
    const loss = lossForMethod(views, { union: tf.tensor2d(x) }, batch()).dataSync()[0]
    let want = 0
    x.forEach((row, i) =>
      row.forEach((v, j) => {
        if (mask[i][j]) want += bce(v, labels[i][j]) / 4 / 3
      }),
    )
    expect(Math.abs(loss - want)).toBeLessThan(1e-6)
  })

  it("multitask: each head learns its own dataset's rows and classes only", () => {
    const views = headViews(snapshot, { method: 'multitask', datasets: [] })
    expect(views.map((v) => [v.head, v.columns])).toEqual([
      ['E', [0, 1]],
      ['A', [2, 3]],
      ['M', [1, 3]],
    ])
    const heads = {
      E: [
        [2, 1],
        [9, 9],
        [9, 9],
      ],
      A: [
        [9, 9],
        [0.5, -1],
        [9, 9],
      ],
      M: [
        [9, 9],
        [9, 9],
        [0.7, -0.3],
      ],
    }
    const loss = lossForMethod(
      views,
      Object.fromEntries(Object.entries(heads).map(([k, v]) => [k, tf.tensor2d(v)])),
      batch(),
    ).dataSync()[0]
    const want =
      softmaxCe([2, 1], 0) + // E: row 0 is happy (softmax over happy, sad)
      (bce(0.5, 1) + bce(-1, 0)) / 2 + // A: row 1, both AUs known, N = 2
      softmaxCe([0.7], 0) +
      bce(-0.3, 1) / 1 // M: row 2, softmax over {sad} + sigmoid over {AU12}
    expect(Math.abs(loss - want)).toBeLessThan(1e-6)
  })

  it('multitask: a head whose dataset is absent from the batch is not trained by it', () => {
    // As in classical multi-task training, only the batch's own head (and the shared trunk) moves:
    // the other heads get no gradient at all, so the optimiser leaves them (and their momentum) alone.
    const views = headViews(snapshot, { method: 'multitask', datasets: [] })
    const only = { labels: tf.tensor2d([labels[0]]), mask: tf.tensor2d([mask[0]]), datasetIndex: [0] }
    const heads = {
      E: tf.variable(tf.tensor2d([[2, 1]]), true, 'E'),
      A: tf.variable(tf.tensor2d([[0.5, -1]]), true, 'A'),
      M: tf.variable(tf.tensor2d([[0.7, -0.3]]), true, 'M'),
    }
    const { grads } = tf.variableGrads(() => lossForMethod(views, heads as Record<string, tf.Tensor2D>, only))
    expect(Object.keys(grads)).toEqual(['E'])
    expect(Array.from(grads.E.dataSync()).some((v) => v !== 0)).toBe(true)
    Object.values(heads).forEach((v) => v.dispose())
  })

  it("single: softmax over the dataset's emotions, rows without a known emotion left out", () => {
    const views = headViews(snapshot, { method: 'single', datasets: ['E'] })
    expect(views).toEqual([{ head: 'single', datasetIndex: 0, columns: [0, 1], softmax: [0, 1], sigmoid: [] }])
    const rows = {
      labels: tf.tensor2d([
        [1, 0, 0, 0],
        [0, 1, 0, 0],
      ]),
      mask: tf.tensor2d([
        [1, 1, 0, 0],
        [0, 0, 0, 0],
      ]),
      datasetIndex: [0, 0],
    }
    const loss = lossForMethod(
      views,
      {
        single: tf.tensor2d([
          [0.3, 1.1],
          [5, -5],
        ]),
      },
      rows,
    ).dataSync()[0]
    expect(Math.abs(loss - softmaxCe([0.3, 1.1], 0))).toBeLessThan(1e-6)
  })

  it('single: the AU task of a dataset with both kinds uses a sigmoid over its AUs', () => {
    const views = headViews(snapshot, { method: 'single', datasets: ['M'], task: 'au' })
    expect(views).toEqual([{ head: 'single', datasetIndex: 2, columns: [3], softmax: [], sigmoid: [0] }])
    const loss = lossForMethod(views, { single: tf.tensor2d([[0], [0], [-0.3]]) }, batch()).dataSync()[0]
    expect(Math.abs(loss - bce(-0.3, 1))).toBeLessThan(1e-6)
  })

  it('explains a single run on a dataset that is missing or lacks the task', () => {
    expect(() => headViews(snapshot, { method: 'single', datasets: ['SFEW'] })).toThrow(
      /'SFEW'.*not in the training snapshot/,
    )
    expect(() => headViews(snapshot, { method: 'single', datasets: ['A'], task: 'emotion' })).toThrow(
      /annotates no emotions/,
    )
  })

  it('names a head the network lacks or whose width is wrong', () => {
    const views = headViews(snapshot, { method: 'sjmt', datasets: [] })
    expect(() => lossForMethod(views, { E: tf.zeros([3, 4]) as tf.Tensor2D }, batch())).toThrow(
      /no output head 'union'/,
    )
    expect(() => lossForMethod(views, { union: tf.zeros([3, 3]) as tf.Tensor2D }, batch())).toThrow(
      /outputs 3 values but learns 4/,
    )
  })

  it('leaves no tensors behind but the loss', () => {
    const views = headViews(snapshot, { method: 'multitask', datasets: [] })
    const inputs = {
      ...batch(),
      heads: { E: tf.zeros([3, 2]), A: tf.zeros([3, 2]), M: tf.zeros([3, 2]) } as Record<string, tf.Tensor2D>,
    }
    const before = tf.memory().numTensors
    const loss = lossForMethod(views, inputs.heads, inputs)
    expect(tf.memory().numTensors).toBe(before + 1)
    loss.dispose()
  })
})
