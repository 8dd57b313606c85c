import { describe, expect, it } from 'vitest'
import { headViews, type SnapshotImage } from './snapshot'
import { batchOrder } from './batch-order'

// Two datasets: E (rows 0-9 train, 10-11 val) and A (rows 12-17 train, 18 val).
const images: SnapshotImage[] = [
  ...Array.from({ length: 12 }, (_, i): SnapshotImage => ({
    id: i,
    datasetIndex: 0,
    split: i < 10 ? 'train' : 'val',
    path: `e${i}.png`,
  })),
  ...Array.from({ length: 7 }, (_, i): SnapshotImage => ({
    id: 100 + i,
    datasetIndex: 1,
    split: i < 6 ? 'train' : 'val',
    path: `a${i}.png`,
  })),
]
const snapshot = {
  images,
  classes: [
    { code: 'happy', kind: 'emotion' as const },
    { code: 'AU12', kind: 'au' as const },
  ],
  datasets: [
    { name: 'E', classCodes: ['happy'] },
    { name: 'A', classCodes: ['AU12'] },
  ],
}
const datasetOf = (row: number) => images[row].datasetIndex
const orderFor = (method: 'sjmt' | 'multitask' | 'single', batchSize = 4, seed = 1) =>
  batchOrder(snapshot, headViews(snapshot, { method, datasets: method === 'single' ? ['A'] : [] }), {
    method,
    batchSize,
    seed,
  })

describe('batch order', () => {
  it("sjmt: mixes both datasets' training rows and sees each once per epoch", () => {
    const order = orderFor('sjmt', 4)
    expect(order.trainImages).toBe(16)
    const epoch = [0, 1, 2, 3].flatMap((s) => Array.from(order.rowsAt(s)))
    expect([...epoch].sort((a, b) => a - b)).toEqual([...Array(10).keys(), 12, 13, 14, 15, 16, 17])
    expect(order.epochAt(3)).toBe(0)
    expect(order.epochAt(4)).toBe(1)
    // A new epoch is a new shuffle.
    const next = [4, 5, 6, 7].flatMap((s) => Array.from(order.rowsAt(s)))
    expect(next).not.toEqual(epoch)
    expect(new Set(epoch.slice(0, 8).map(datasetOf)).size).toBe(2)
  })

  it('multitask: each batch comes from one dataset, taking turns', () => {
    const order = orderFor('multitask', 4)
    const batches = [0, 1, 2, 3, 4, 5].map((s) => Array.from(order.rowsAt(s)))
    expect(batches.map((b) => [...new Set(b.map(datasetOf))])).toEqual([[0], [1], [0], [1], [0], [1]])
    // A has 6 training rows: its second batch finishes the epoch and starts the next one.
    const aRows = [...batches[1], ...batches[3].slice(0, 2)]
    expect([...aRows].sort((a, b) => a - b)).toEqual([12, 13, 14, 15, 16, 17])
  })

  it("single: only the one dataset's training rows", () => {
    const order = orderFor('single', 5)
    const rows = Array.from({ length: 6 }, (_, s) => Array.from(order.rowsAt(s))).flat()
    expect(new Set(rows.map((r) => images[r].id >= 100 && images[r].split === 'train'))).toEqual(new Set([true]))
  })

  it('is a pure function of the step and seed: a resumed run gets the same batches', () => {
    const a = orderFor('sjmt', 3, 42)
    const b = orderFor('sjmt', 3, 42)
    const c = orderFor('sjmt', 3, 43)
    const late = Array.from(a.rowsAt(57))
    for (let s = 0; s < 57; s++) a.rowsAt(s)
    expect(Array.from(a.rowsAt(57))).toEqual(late)
    expect(Array.from(b.rowsAt(57))).toEqual(late)
    expect([0, 1, 2, 3].map((s) => Array.from(c.rowsAt(s)))).not.toEqual(
      [0, 1, 2, 3].map((s) => Array.from(a.rowsAt(s))),
    )
  })

  it('never uses validation rows, and says when there is nothing to train on', () => {
    const order = orderFor('sjmt', 7)
    for (let s = 0; s < 20; s++) for (const r of order.rowsAt(s)) expect(images[r].split).toBe('train')
    const noTrain = {
      ...snapshot,
      images: images.map((i) => ({ ...i, split: i.datasetIndex === 1 ? ('val' as const) : i.split })),
    }
    expect(() =>
      batchOrder(noTrain, headViews(noTrain, { method: 'single', datasets: ['A'] }), {
        method: 'single',
        batchSize: 4,
        seed: 1,
      }),
    ).toThrow(/dataset 'A' has no images in the train split/)
  })
})
