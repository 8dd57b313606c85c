import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { ImportFormat } from '../src/shared/contract'
import { importDataset } from '../src/main/import/import-dataset'
import { Workspace } from '../src/main/workspace/workspace'

// Crops-only import (issue 12): datasets that ship aligned face crops go in whole, with no face
// detection, at 500 images per second or more. Two layouts like the real ones: FER2013's CSV of
// 48x48 grey pixels and RAF-DB's folder of 100x100 aligned JPEGs, each through `affect import`'s
// own importer (`--faces auto` keeps both whole). The pictures are smooth face-like shapes, not
// noise: encoders take much longer over noise than over faces.

export const CROPS_TARGET_IMAGES_PER_SECOND = 500

export interface CropsImportResult {
  format: ImportFormat
  images: number
  seconds: number
  imagesPerSecond: number
  /** Images per second of this process's CPU time (every thread): what a loaded machine cannot spoil. */
  imagesPerCpuSecond: number
}

/** A face-like grey picture: a bright oval on a darker ground, eyes and a mouth, varied by `i`. */
function facePixels(side: number, i: number): Uint8Array {
  const px = new Uint8Array(side * side)
  const c = side / 2
  const eyeY = side * (0.38 + (i % 5) * 0.01)
  const mouthY = side * (0.7 + (i % 7) * 0.01)
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const oval = ((x - c) / (side * 0.36)) ** 2 + ((y - c) / (side * 0.46)) ** 2
      let v = oval < 1 ? 170 + 40 * (1 - oval) : 60 + ((x + y + i) % 40)
      if (Math.abs(y - eyeY) < side * 0.04 && Math.abs(Math.abs(x - c) - side * 0.16) < side * 0.06) v = 40
      if (Math.abs(y - mouthY) < side * 0.03 && Math.abs(x - c) < side * (0.12 + (i % 3) * 0.03)) v = 70
      px[y * side + x] = Math.round(v)
    }
  // The picture's number in its first pixels, so that no two are the same content.
  px[0] = i & 255
  px[1] = (i >> 8) & 255
  px[2] = (i >> 16) & 255
  return px
}

/** fer2013.csv with `count` rows of 48x48 grey pixels. */
function writeFer(dir: string, count: number): string {
  mkdirSync(dir, { recursive: true })
  const lines = ['emotion,pixels,Usage']
  for (let i = 0; i < count; i++)
    lines.push(`${i % 7},${facePixels(48, i).join(' ')},${['Training', 'PublicTest', 'PrivateTest'][i % 3]}`)
  writeFileSync(join(dir, 'fer2013.csv'), lines.join('\n'))
  return dir
}

/** RAF-DB's basic layout with `count` 100x100 aligned JPEGs (colour, as RAF-DB's). */
async function writeRaf(dir: string, count: number): Promise<string> {
  const images = join(dir, 'basic', 'Image', 'aligned')
  mkdirSync(images, { recursive: true })
  mkdirSync(join(dir, 'basic', 'EmoLabel'), { recursive: true })
  const list: string[] = []
  for (let i = 0; i < count; i++) {
    const grey = facePixels(100, i)
    const rgb = Buffer.alloc(100 * 100 * 3)
    for (let p = 0; p < grey.length; p++)
      rgb.fill(grey[p], p * 3, p * 3 + 2).writeUInt8(Math.min(255, grey[p] + 20), p * 3 + 2)
    const name = `${i % 4 ? 'train' : 'test'}_${String(i + 1).padStart(5, '0')}`
    writeFileSync(
      join(images, `${name}_aligned.jpg`),
      await sharp(rgb, { raw: { width: 100, height: 100, channels: 3 } })
        .jpeg({ quality: 90 })
        .toBuffer(),
    )
    list.push(`${name}.jpg ${1 + (i % 7)}`)
  }
  writeFileSync(join(dir, 'basic', 'EmoLabel', 'list_patition_label.txt'), list.join('\n'))
  return dir
}

async function timedImport(dir: string, format: ImportFormat, path: string, count: number): Promise<CropsImportResult> {
  const ws = Workspace.create(join(dir, `ws-${format}`))
  try {
    const started = process.hrtime.bigint()
    const cpu = process.cpuUsage()
    const report = await importDataset(ws, { format, path, faces: 'auto' })
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const used = process.cpuUsage(cpu)
    if (report.imported !== count)
      throw new Error(`${format}: imported ${report.imported} of ${count}: ${JSON.stringify(report.skippedByReason)}`)
    if (report.faces.photosSearched !== 0) throw new Error(`${format}: the import searched for faces`)
    return {
      format,
      images: count,
      seconds,
      imagesPerSecond: count / seconds,
      imagesPerCpuSecond: count / ((used.user + used.system) / 1e6),
    }
  } finally {
    ws.close()
  }
}

/** Imports `count` FER2013 rows and `count` RAF-DB crops (default 5,000 each) into fresh workspaces. */
export async function runCropsImportBench(count = 5000): Promise<CropsImportResult[]> {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`--crops: expected a whole number of at least 1, got ${count}`)
  const dir = mkdtempSync(join(tmpdir(), 'affect-crops-bench-'))
  try {
    const fer = writeFer(join(dir, 'fer'), count)
    const raf = await writeRaf(join(dir, 'raf'), count)
    return [await timedImport(dir, 'fer2013', fer, count), await timedImport(dir, 'rafdb', raf, count)]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const SIZE: Partial<Record<ImportFormat, string>> = { fer2013: '48x48 grey pixels', rafdb: '100x100 JPEG crops' }

export const cropsImportLines = (results: CropsImportResult[]): string[] =>
  results.map(
    (r) =>
      `Crops-only import (no detection), ${r.format}, ${r.images} ${SIZE[r.format] ?? 'images'}: ${r.imagesPerSecond.toFixed(0)} images/s in ${r.seconds.toFixed(1)} s; ${r.imagesPerCpuSecond.toFixed(0)} images per CPU second (target >= ${CROPS_TARGET_IMAGES_PER_SECOND})`,
  )
