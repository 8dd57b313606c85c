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
    return { images: count, seconds, imagesPerSecond: count / seconds, thumbnails: true }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
