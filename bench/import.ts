import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { Workspace } from '../src/main/workspace/workspace'
import { importDataset } from '../src/main/import/import-dataset'

export interface ImportBenchResult {
  images: number
  seconds: number
  imagesPerSecond: number
  thumbnails: boolean
  /** Crops-only import (no detection): frames with the dataset's face box, each cut to an aligned 128 px crop. */
  boxCrops: { images: number; seconds: number; imagesPerSecond: number; imagesPerCpuSecond: number }
}

/** Writes `count` distinct small PNG faces-to-be (48x48, like FER2013) and a labels.csv for them. */
async function writeDataset(dir: string, count: number): Promise<string> {
  mkdirSync(join(dir, 'img'), { recursive: true })
  const lines = ['path,happy,sad,AU12']
  const pixels = Buffer.alloc(48 * 48)
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < pixels.length; p++) pixels[p] = (p * 31 + i * 17 + ((p * i) >> 5)) & 255
    pixels.writeUInt32LE(i, 0) // every image distinct, so none is refused as duplicate content
    writeFileSync(
      join(dir, 'img', `${i}.png`),
      await sharp(pixels, { raw: { width: 48, height: 48, channels: 1 } })
        .png()
        .toBuffer(),
    )
    lines.push(`img/${i}.png,${i % 2},${(i + 1) % 2},${i % 3 === 0 ? '' : i % 3 === 1 ? 1 : 0}`)
  }
  writeFileSync(join(dir, 'labels.csv'), lines.join('\n'))
  return join(dir, 'labels.csv')
}

/** Writes `count` distinct 320x240 frames (JPEG, like CK+ or a webcam) and a labels.csv with a face box for each. */
async function writeBoxedDataset(dir: string, count: number): Promise<string> {
  mkdirSync(join(dir, 'frames'), { recursive: true })
  const lines = ['path,face_x,face_y,face_width,face_height,happy']
  const pixels = Buffer.alloc(320 * 240)
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < pixels.length; p += 7) pixels[p] = (p * 13 + i * 29) & 255
    // The frame's number as 16 blocks of 16 x 16 pixels along the top, so that JPEG keeps every frame distinct.
    for (let bit = 0; bit < 16; bit++)
      for (let y = 0; y < 16; y++) pixels.fill((i >> bit) & 1 ? 255 : 0, y * 320 + bit * 20, y * 320 + bit * 20 + 16)
    writeFileSync(
      join(dir, 'frames', `${i}.jpg`),
      await sharp(pixels, { raw: { width: 320, height: 240, channels: 1 } })
        .jpeg()
        .toBuffer(),
    )
    lines.push(`frames/${i}.jpg,${100 + (i % 20)},${60 + (i % 10)},${110 + (i % 15)},${130 + (i % 12)},${i % 2}`)
  }
  writeFileSync(join(dir, 'labels.csv'), lines.join('\n'))
  return join(dir, 'labels.csv')
}

/** Crops-only import: every frame's face cut by its box, crop and thumbnail written (target >= 500 images/s). */
async function boxCropBench(dir: string, count: number): Promise<ImportBenchResult['boxCrops']> {
  const csv = await writeBoxedDataset(join(dir, 'boxed'), count)
  const ws = Workspace.create(join(dir, 'ws-boxes'))
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const report = await importDataset(ws, { format: 'csv', faces: 'boxes', path: csv, name: 'boxes' })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  // CPU time of every thread of this process (libvips' too): the rate a loaded machine cannot spoil.
  const used = process.cpuUsage(cpu)
  const cpuSeconds = (used.user + used.system) / 1e6
  ws.close()
  if (report.faces.boxCrops !== count)
    throw new Error(
      `import bench cut ${report.faces.boxCrops} of ${count} crops: ${JSON.stringify(report.skippedByReason)}`,
    )
  return { images: count, seconds, imagesPerSecond: count / seconds, imagesPerCpuSecond: count / cpuSeconds }
}

/** Import speed with hashing, decoding and thumbnails, through the same importer as `affect import` (target >= 500 images/s). */
export async function runImportBench(options: { images?: number } = {}): Promise<ImportBenchResult> {
  const count = options.images ?? 10_000
  const dir = mkdtempSync(join(tmpdir(), 'affect-import-bench-'))
  try {
    const csv = await writeDataset(join(dir, 'data'), count)
    const ws = Workspace.create(join(dir, 'ws'))
    const started = process.hrtime.bigint()
    const report = await importDataset(ws, { format: 'csv', faces: 'whole', path: csv, name: 'bench' })
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    ws.close()
    if (report.imported !== count)
      throw new Error(
        `import bench imported ${report.imported} of ${count} images: ${JSON.stringify(report.skippedByReason)}`,
      )
    const boxCrops = await boxCropBench(dir, Math.min(count, 2000))
    return { images: count, seconds, imagesPerSecond: count / seconds, thumbnails: true, boxCrops }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
