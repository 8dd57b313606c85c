import { describe, expect, it } from 'vitest'
import { defaultRunConfig } from '../../../shared/run-config'
import { plainBatch, trainingBatch } from './batch'
import type { ImageSet } from './image-set'

// Three 4x4 RGB images with distinct bytes; two classes.
const set: ImageSet = {
  pixels: Uint8Array.from({ length: 3 * 48 }, (_, i) => (i * 5) % 256),
  size: 4,
  channels: 3,
  count: 3,
  imageBytes: 48,
}
const snapshot = {
  classes: [
    { code: 'happy', kind: 'emotion' as const },
    { code: 'AU12', kind: 'au' as const },
  ],
  images: [0, 1, 0].map((d, i) => ({ id: i, datasetIndex: d, split: 'train' as const, path: '' })),
  labels: Uint8Array.from([1, 0, 0, 1, 0, 0]),
  mask: Uint8Array.from([1, 0, 0, 1, 1, 0]),
}
const augmentation = defaultRunConfig().augmentation

describe('batches', () => {
  it('scale pixels to [0, 1] and carry labels, mask and dataset of each row', () => {
    const b = plainBatch(set, snapshot, Int32Array.from([2, 0]))
    expect(b.shape).toEqual({ batch: 2, height: 4, width: 4, channels: 3 })
    expect(b.images[0]).toBeCloseTo(set.pixels[96] / 255, 7)
    expect(b.images[48 + 5]).toBeCloseTo(set.pixels[5] / 255, 7)
    expect(Math.max(...b.images)).toBeLessThanOrEqual(1)
    expect(Array.from(b.labels)).toEqual([0, 0, 1, 0])
    expect(Array.from(b.mask)).toEqual([1, 0, 1, 0])
    expect(Array.from(b.datasetIndex)).toEqual([0, 0])
  })

  it('augment the same step the same way, and another step differently', () => {
    const rows = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1])
    const options = { augmentation: { ...augmentation, pad: 2 }, seed: 5 }
    const a = trainingBatch(set, snapshot, rows, { ...options, step: 10 })
    const again = trainingBatch(set, snapshot, rows, { ...options, step: 10 })
    const other = trainingBatch(set, snapshot, rows, { ...options, step: 11 })
    expect(Array.from(again.images)).toEqual(Array.from(a.images))
    expect(Array.from(other.images)).not.toEqual(Array.from(a.images))
    expect(Array.from(a.images)).not.toEqual(Array.from(plainBatch(set, snapshot, rows).images))
    const off = trainingBatch(set, snapshot, rows, {
      ...options,
      augmentation: { ...augmentation, randomCrop: false },
      step: 10,
    })
    expect(Array.from(off.images)).toEqual(Array.from(plainBatch(set, snapshot, rows).images))
  })
})
