import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { mulberry32 } from '../src/shared/random'
import { makeSnapshot, writeSnapshot, type SnapshotImage } from '../src/main/trainer/data/snapshot'

/*
 * The training benchmark's data, made the way a run's data is: image files on disk (random 32x32
 * PNGs) and a training snapshot over them, so the benchmark trains through the run's own loading,
 * decoding, batching and augmentation. Like the PyTorch peer's: 18 sigmoid outputs (18 AUs, every
 * label known, present with probability 0.5).
 */

export const BENCH_OUTPUTS = 18
const SIDE = 32

/** Writes `images` PNGs under `dir`/images and the snapshot; returns the snapshot's base path. */
export async function writeBenchSnapshot(dir: string, images: number): Promise<string> {
  const random = mulberry32(11)
  const classes = Array.from({ length: BENCH_OUTPUTS }, (_, i) => ({ code: `AU${i + 1}`, kind: 'au' as const }))
  await mkdir(join(dir, 'images'), { recursive: true })
  const rows: SnapshotImage[] = []
  const labels = new Uint8Array(images * BENCH_OUTPUTS)
  for (let i = 0; i < images; i++) {
    const pixels = Buffer.alloc(SIDE * SIDE * 3)
    for (let k = 0; k < pixels.length; k++) pixels[k] = Math.floor(random() * 256)
    const path = join(dir, 'images', `${i}.png`)
    await writeFile(
      path,
      await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } })
        .png()
        .toBuffer(),
    )
    rows.push({ id: i + 1, datasetIndex: 0, split: 'train', path })
    for (let j = 0; j < BENCH_OUTPUTS; j++) labels[i * BENCH_OUTPUTS + j] = random() < 0.5 ? 1 : 0
  }
  const snapshot = makeSnapshot({
    classes,
    datasets: [{ name: 'bench', classCodes: classes.map((c) => c.code) }],
    images: rows,
    labels,
    mask: new Uint8Array(images * BENCH_OUTPUTS).fill(1),
  })
  const base = join(dir, 'snapshot')
  await writeSnapshot(base, snapshot)
  return base
}
