import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  makeSnapshot,
  readSnapshot,
  rowsOf,
  sliceLabels,
  snapshotFiles,
  writeSnapshot,
  type SnapshotContent,
} from './snapshot'

const content = (): SnapshotContent => ({
  classes: [
    { code: 'happy', kind: 'emotion' },
    { code: 'sad', kind: 'emotion' },
    { code: 'AU12', kind: 'au' },
  ],
  datasets: [
    { name: 'SFEW', classCodes: ['happy', 'sad'] },
    { name: 'EmotioNet', classCodes: ['AU12'] },
  ],
  images: [
    { id: 10, datasetIndex: 0, split: 'train', path: 'Happy/a.png' },
    { id: 11, datasetIndex: 0, split: 'test', path: 'Sad/b.png' },
    { id: 20, datasetIndex: 1, split: 'train', path: 'img/c.jpg' },
  ],
  labels: Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]),
  mask: Uint8Array.from([1, 1, 0, 1, 1, 0, 0, 0, 1]),
})

const dir = await mkdtemp(join(tmpdir(), 'snapshot-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('training snapshot', () => {
  it('changes its hash when one label, one mask bit or one split changes', () => {
    const base = makeSnapshot(content()).hash
    expect(makeSnapshot(content()).hash).toBe(base)
    const a = content()
    a.labels[8] = 0
    const b = content()
    b.mask[2] = 1
    const c = content()
    c.images[1].split = 'val'
    expect(new Set([base, makeSnapshot(a).hash, makeSnapshot(b).hash, makeSnapshot(c).hash]).size).toBe(4)
  })

  it('refuses inconsistent content, saying what is wrong', () => {
    expect(() => makeSnapshot({ ...content(), mask: new Uint8Array(8) })).toThrow(
      /mask holds 8 values, expected 3 images x 3 classes/,
    )
    expect(() => makeSnapshot({ ...content(), datasets: [{ name: 'X', classCodes: ['AU99'] }] })).toThrow(
      /'X' annotates class 'AU99'/,
    )
    const bad = content()
    bad.images[2].datasetIndex = 5
    expect(() => makeSnapshot(bad)).toThrow(/image 20 \(row 2\) has dataset index 5/)
  })

  it('survives a write and read as a .json + .bin pair', async () => {
    const snap = makeSnapshot(content())
    const base = join(dir, 'run-1')
    await writeSnapshot(base, snap)
    expect(await readSnapshot(base)).toEqual(snap)
    // Compact: one byte per label and per mask bit.
    expect((await readFile(snapshotFiles(base).bin)).length).toBe(18)
  })

  it('carries landmarks through a write and read, in its hash, and refuses a wrong count', async () => {
    const points = Float32Array.from({ length: 3 * 136 }, (_, k) => (k % 100) / 100)
    const withLandmarks = makeSnapshot({ ...content(), landmarks: { points, known: Uint8Array.from([1, 0, 1]) } })
    expect(withLandmarks.hash).not.toBe(makeSnapshot(content()).hash)
    const base = join(dir, 'run-landmarks')
    await writeSnapshot(base, withLandmarks)
    expect(await readSnapshot(base)).toEqual(withLandmarks)
    expect((await readFile(snapshotFiles(base).bin)).length).toBe(18 + 3 + 3 * 136 * 4)
    const other = makeSnapshot({ ...content(), landmarks: { points, known: Uint8Array.from([1, 1, 1]) } })
    expect(other.hash).not.toBe(withLandmarks.hash)
    expect(() =>
      makeSnapshot({ ...content(), landmarks: { points: points.subarray(136), known: Uint8Array.from([1, 0, 1]) } }),
    ).toThrow(/landmarks hold 272 values, expected 3 images x 136/)
  })

  it('notices a damaged or edited matrix file', async () => {
    const base = join(dir, 'run-2')
    await writeSnapshot(base, makeSnapshot(content()))
    const bin = await readFile(snapshotFiles(base).bin)
    bin[0] = 0
    await writeFile(snapshotFiles(base).bin, bin)
    await expect(readSnapshot(base)).rejects.toThrow(/does not match its hash/)
    await writeFile(snapshotFiles(base).bin, bin.subarray(0, 10))
    await expect(readSnapshot(base)).rejects.toThrow(/holds 10 bytes, expected 18/)
  })

  it('selects rows of a split and a dataset, and slices their columns', () => {
    const snap = makeSnapshot(content())
    expect(Array.from(rowsOf(snap, 'train'))).toEqual([0, 2])
    expect(Array.from(rowsOf(snap, 'train', 1))).toEqual([2])
    const { labels, mask } = sliceLabels(snap, [0, 2], [2, 0])
    expect(Array.from(labels)).toEqual([0, 1, 1, 0])
    expect(Array.from(mask)).toEqual([0, 1, 1, 0])
  })
})
