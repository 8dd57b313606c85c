import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { mulberry32 } from '../../../shared/random'
import {
  makeSnapshot,
  writeSnapshot,
  type SnapshotImage,
  type SnapshotLandmarks,
  type TrainingSnapshot,
} from './snapshot'
import { LANDMARK_VALUES } from '../../../shared/metrics/landmark-error'
import type { Split } from '../../../shared/contract'

// Test fixture (not shipped): a tiny two-domain training set written to disk as real PNG files, in
// the shape of the paper's problem: one emotion-only dataset (3 emotions) and one AU-only dataset
// (2 AUs), so no image is labelled for both tasks. The classes are easy to see (emotion = the
// dominant colour, AU6 / AU12 = a bright upper / lower half), so a few steps make the loss fall.

export const TINY_CLASSES = [
  { code: 'happy', kind: 'emotion' as const },
  { code: 'sad', kind: 'emotion' as const },
  { code: 'angry', kind: 'emotion' as const },
  { code: 'AU6', kind: 'au' as const },
  { code: 'AU12', kind: 'au' as const },
]

export interface TinySnapshotOptions {
  /** Images per dataset (default 20): 70% train, 20% val, the rest test. */
  perDataset?: number
  /** Side of the written PNGs (default 20 x 24, not square, so resizing is exercised). */
  width?: number
  height?: number
  /** Give every other image 68 landmarks (fractions of the image; the others unknown), for runs that learn them. */
  landmarks?: boolean
}

function splitOf(i: number, count: number): Split {
  if (i < Math.round(count * 0.7)) return 'train'
  if (i < Math.round(count * 0.9)) return 'val'
  return 'test'
}

function drawImage(
  width: number,
  height: number,
  random: () => number,
  paint: (y: number, x: number, c: number) => number,
): Buffer {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++)
        data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(paint(y, x, c) + (random() - 0.5) * 60)))
    }
  }
  return data
}

/** Writes the PNGs under `dir`/images and the snapshot as `dir`/snapshot.{json,bin}; returns its base path. */
export async function writeTinySnapshot(
  dir: string,
  options: TinySnapshotOptions = {},
): Promise<{ base: string; snapshot: TrainingSnapshot }> {
  const perDataset = options.perDataset ?? 20
  const width = options.width ?? 20
  const height = options.height ?? 24
  const random = mulberry32(7)
  const n = TINY_CLASSES.length
  const images: SnapshotImage[] = []
  const labels: number[] = []
  const mask: number[] = []
  await mkdir(join(dir, 'images'), { recursive: true })
  const write = async (name: string, pixels: Buffer): Promise<string> => {
    const path = join(dir, 'images', name)
    await writeFile(
      path,
      await sharp(pixels, { raw: { width, height, channels: 3 } })
        .png()
        .toBuffer(),
    )
    return path
  }
  for (let i = 0; i < perDataset; i++) {
    const emotion = i % 3
    const path = await write(
      `emotion-${i}.png`,
      drawImage(width, height, random, (_y, _x, c) => (c === emotion ? 200 : 60)),
    )
    images.push({ id: 100 + i, datasetIndex: 0, split: splitOf(i, perDataset), path })
    labels.push(...TINY_CLASSES.map((_, j) => (j === emotion ? 1 : 0)))
    mask.push(1, 1, 1, 0, 0)
  }
  for (let i = 0; i < perDataset; i++) {
    const au6 = i % 2
    const au12 = Math.floor(i / 2) % 2
    const path = await write(
      `au-${i}.png`,
      drawImage(width, height, random, (y) => ((y < height / 2 ? au6 : au12) ? 220 : 40)),
    )
    images.push({ id: 200 + i, datasetIndex: 1, split: splitOf(i, perDataset), path })
    labels.push(0, 0, 0, au6, au12)
    mask.push(0, 0, 0, 1, 1)
  }
  const landmarks = options.landmarks ? tinyLandmarks(images.length, random) : undefined
  const snapshot = makeSnapshot({
    ...(landmarks ? { landmarks } : {}),
    classes: TINY_CLASSES,
    datasets: [
      { name: 'Tiny-Emotions', classCodes: ['happy', 'sad', 'angry'] },
      { name: 'Tiny-AUs', classCodes: ['AU6', 'AU12'] },
    ],
    images,
    labels: Uint8Array.from(labels),
    mask: Uint8Array.from(mask),
  })
  if (labels.length !== images.length * n) throw new Error('tiny snapshot: labels do not match images')
  const base = join(dir, 'snapshot')
  await writeSnapshot(base, snapshot)
  return { base, snapshot }
}

/** Landmarks in the middle of the image for even rows, unknown (zeros) for odd ones. */
function tinyLandmarks(rows: number, random: () => number): SnapshotLandmarks {
  const points = new Float32Array(rows * LANDMARK_VALUES)
  const known = new Uint8Array(rows)
  for (let r = 0; r < rows; r += 2) {
    known[r] = 1
    for (let k = 0; k < LANDMARK_VALUES; k++) points[r * LANDMARK_VALUES + k] = 0.3 + 0.4 * random()
  }
  return { points, known }
}
