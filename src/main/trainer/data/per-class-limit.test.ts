import { describe, expect, it } from 'vitest'
import type { Split } from '../../../shared/contract'
import { LANDMARK_VALUES } from '../../../shared/metrics/landmark-error'
import { limitPerClass } from './per-class-limit'
import type { SnapshotContent, SnapshotImage } from './snapshot'

// A compound dataset (3 compound emotions, 10 / 4 / 7 training faces, 2 validation and 2 test faces
// each, and 2 training faces without a compound label) beside an AU dataset of 6 training faces.
const CLASSES = [
  { code: 'happily surprised', kind: 'compound' as const },
  { code: 'sadly angry', kind: 'compound' as const },
  { code: 'fearfully surprised', kind: 'compound' as const },
  { code: 'AU12', kind: 'au' as const },
]
const TRAINING = [10, 4, 7]

function content(): SnapshotContent {
  const images: SnapshotImage[] = []
  const labels: number[] = []
  const mask: number[] = []
  const add = (datasetIndex: number, split: Split, compound: number | null) => {
    images.push({ id: 1000 + images.length * 3, datasetIndex, split, path: `face-${images.length}.png` })
    labels.push(...CLASSES.map((c, col) => (col === compound || (c.kind === 'au' && images.length % 2) ? 1 : 0)))
    mask.push(...CLASSES.map((c) => (datasetIndex === 0 || c.kind === 'au' ? 1 : 0)))
  }
  TRAINING.forEach((count, cls) => {
    for (let i = 0; i < count; i++) add(0, 'train', cls)
    for (const split of ['val', 'val', 'test', 'test'] as const) add(0, split, cls)
  })
  add(0, 'train', null)
  add(0, 'train', null)
  for (let i = 0; i < 6; i++) add(1, 'train', null)
  const points = new Float32Array(images.length * LANDMARK_VALUES).map((_, k) => Math.floor(k / LANDMARK_VALUES))
  return {
    classes: CLASSES,
    datasets: [
      { name: 'demo-compound', classCodes: CLASSES.map((c) => c.code) },
      { name: 'demo-au', classCodes: ['AU12'] },
    ],
    images,
    labels: Uint8Array.from(labels),
    mask: Uint8Array.from(mask),
    landmarks: { points, known: new Uint8Array(images.length).fill(1) },
  }
}

const n = CLASSES.length
const classOf = (c: SnapshotContent, row: number): number => CLASSES.findIndex((_, col) => c.labels[row * n + col])
const trainingIds = (c: SnapshotContent, cls: number): number[] =>
  c.images.flatMap((img, row) =>
    img.datasetIndex === 0 && img.split === 'train' && classOf(c, row) === cls ? [img.id] : [],
  )

describe('at most N training images per class', () => {
  it('keeps exactly min(N, available) training faces per class, and every validation and test face', () => {
    const all = content()
    const limited = limitPerClass(all, { 'demo-compound': 5 }, 1)
    expect(TRAINING.map((_, cls) => trainingIds(limited, cls).length)).toEqual([5, 4, 5])
    for (const split of ['val', 'test'] as const)
      expect(limited.images.filter((i) => i.split === split)).toEqual(all.images.filter((i) => i.split === split))
    // The other dataset keeps its 6 training faces; the 2 training faces without a class are left out.
    expect(limited.images.filter((i) => i.datasetIndex === 1)).toHaveLength(6)
    expect(limited.images).toHaveLength(5 + 4 + 5 + 3 * 4 + 6)
  })

  it('keeps each kept image with its own labels, mask and landmarks', () => {
    const all = content()
    const limited = limitPerClass(all, { 'demo-compound': 3 }, 2)
    limited.images.forEach((img, row) => {
      const was = all.images.findIndex((i) => i.id === img.id)
      expect(limited.labels.subarray(row * n, (row + 1) * n)).toEqual(all.labels.subarray(was * n, (was + 1) * n))
      expect(limited.mask.subarray(row * n, (row + 1) * n)).toEqual(all.mask.subarray(was * n, (was + 1) * n))
      expect(limited.landmarks!.points[row * LANDMARK_VALUES]).toBe(was)
    })
  })

  it('chooses the same faces for the same seed and other faces for another seed', () => {
    const chosen = (seed: number) =>
      [0, 2].map((cls) => trainingIds(limitPerClass(content(), { 'demo-compound': 5 }, seed), cls))
    expect(chosen(1)).toEqual(chosen(1))
    expect(chosen(2)).not.toEqual(chosen(1))
  })

  it('chooses the same faces whatever other datasets the run pools (Table 4: single and SJMT of a seed)', () => {
    const pooled = limitPerClass(content(), { 'demo-compound': 5 }, 3)
    const alone = content()
    const rows = alone.images.flatMap((img, row) => (img.datasetIndex === 0 ? [row] : []))
    const onlyCompound: SnapshotContent = {
      classes: CLASSES.slice(0, 3),
      datasets: [alone.datasets[0]],
      images: rows.map((row) => alone.images[row]),
      labels: Uint8Array.from(rows.flatMap((row) => [...alone.labels.subarray(row * n, row * n + 3)])),
      mask: Uint8Array.from(rows.flatMap((row) => [...alone.mask.subarray(row * n, row * n + 3)])),
    }
    const ids = (c: SnapshotContent) => c.images.filter((i) => i.datasetIndex === 0).map((i) => i.id)
    expect(ids(limitPerClass(onlyCompound, { 'demo-compound': 5 }, 3))).toEqual(ids(pooled))
  })

  it('refuses a dataset the run does not train on, or one without emotions, naming the field', () => {
    expect(() => limitPerClass(content(), { 'demo-emotion': 5 }, 1)).toThrow(/perClassLimit: dataset "demo-emotion"/)
    expect(() => limitPerClass(content(), { 'demo-au': 5 }, 1)).toThrow(/perClassLimit: .*no emotions/)
  })
})
