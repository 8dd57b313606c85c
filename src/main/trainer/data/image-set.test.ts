import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { makeSnapshot } from './snapshot'
import { decodeImage, ImageReadError } from './decode'
import { imageCachePath, loadImageSet } from './image-set'
import { writeTinySnapshot } from './tiny-snapshot.fixture'

const dir = await mkdtemp(join(tmpdir(), 'image-set-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

/** A 40 wide x 20 high PNG: red left quarter, green middle half, blue right quarter. */
async function writeStripes(path: string): Promise<void> {
  const w = 40
  const h = 20
  const data = Buffer.alloc(w * h * 3)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(y * w + x) * 3 + (x < 10 ? 0 : x < 30 ? 1 : 2)] = 255
  await writeFile(
    path,
    await sharp(data, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toBuffer(),
  )
}

describe('decoded images', () => {
  it('are centre-cropped to a square (cover), keeping the face proportions', async () => {
    const path = join(dir, 'stripes.png')
    await writeStripes(path)
    const rgb = await decodeImage(1, path, { size: 10, channels: 3 })
    expect(rgb.length).toBe(300)
    // The square crop keeps the middle 20 of 40 columns: all green, no red or blue left.
    const px = (x: number) => Array.from(rgb.subarray(x * 3, x * 3 + 3))
    expect(px(0)[1]).toBeGreaterThan(200)
    expect(px(9)[1]).toBeGreaterThan(200)
    expect(px(0)[0]).toBeLessThan(30)
    expect(px(9)[2]).toBeLessThan(30)
    const grey = await decodeImage(1, path, { size: 8, channels: 1 })
    expect(grey.length).toBe(64)
  })

  it('name the file that is missing or cannot be decoded', async () => {
    await expect(decodeImage(7, join(dir, 'nowhere.png'), { size: 8, channels: 3 })).rejects.toThrow(
      /image 7: file .*nowhere\.png is missing/,
    )
    const bad = join(dir, 'bad.png')
    await writeFile(bad, 'not an image')
    const error = await decodeImage(8, bad, { size: 8, channels: 3 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImageReadError)
    expect((error as ImageReadError).missing).toBe(false)
    expect(String(error)).toMatch(/image 8: cannot decode .*bad\.png/)
  })
})

describe('image set of a snapshot', () => {
  it('decodes every image once, then reads the cache (even with the originals gone)', async () => {
    const data = join(dir, 'tiny')
    const cacheDir = join(dir, 'cache')
    const { snapshot } = await writeTinySnapshot(data, { perDataset: 6 })
    let decoded = 0
    const first = await loadImageSet(snapshot, { size: 16, channels: 3, cacheDir, onProgress: () => decoded++ })
    expect(first).toMatchObject({ fromCache: false, count: 12, imageBytes: 768 })
    expect(first.pixels.length).toBe(12 * 768)
    expect(decoded).toBe(12)
    expect(await readdir(cacheDir)).toEqual([
      imageCachePath(cacheDir, snapshot.images, { size: 16, channels: 3 }).slice(cacheDir.length + 1),
    ])

    await rm(join(data, 'images'), { recursive: true })
    // A label edit makes another snapshot of the same images: still no decoding.
    const relabelled = makeSnapshot({ ...snapshot, labels: snapshot.labels.map((v) => 1 - v) })
    expect(relabelled.hash).not.toBe(snapshot.hash)
    const second = await loadImageSet(relabelled, { size: 16, channels: 3, cacheDir, onProgress: () => decoded++ })
    expect(second.fromCache).toBe(true)
    expect(decoded).toBe(12)
    expect(Buffer.from(second.pixels).equals(Buffer.from(first.pixels))).toBe(true)
    // Another size is another cache entry, and needs the files again.
    await expect(loadImageSet(snapshot, { size: 8, channels: 3, cacheDir })).rejects.toThrow(
      /image 100: file .*emotion-0\.png is missing/,
    )
  })

  it('writes no cache when an image fails, and decodes again after the file is back', async () => {
    const cacheDir = join(dir, 'cache-2')
    const good = join(dir, 'good.png')
    await writeStripes(good)
    const snapshot = makeSnapshot({
      classes: [{ code: 'happy', kind: 'emotion' }],
      datasets: [{ name: 'D', classCodes: ['happy'] }],
      images: [
        { id: 1, datasetIndex: 0, split: 'train', path: good },
        { id: 2, datasetIndex: 0, split: 'train', path: join(dir, 'later.png') },
      ],
      labels: new Uint8Array(2),
      mask: new Uint8Array(2),
    })
    await expect(loadImageSet(snapshot, { size: 8, channels: 1, cacheDir })).rejects.toThrow(
      /image 2: file .*later\.png is missing/,
    )
    expect(await readdir(cacheDir).catch(() => [])).toEqual([])
    await writeStripes(join(dir, 'later.png'))
    expect((await loadImageSet(snapshot, { size: 8, channels: 1, cacheDir })).fromCache).toBe(false)
    expect((await loadImageSet(snapshot, { size: 8, channels: 1, cacheDir })).fromCache).toBe(true)
  })
})
