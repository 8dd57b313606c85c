import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { ensureThumbnail, thumbnailPath } from '../catalogue/media'
import type { RecordImage } from './record'

export interface ProcessedImage {
  sha256: string
  width: number
  height: number
  bytes: Buffer
}

/** PNG bytes of raw pixels (FER2013 and the like). Deterministic, so a re-import hashes the same. */
export async function pixelsToPng(image: Extract<RecordImage, { type: 'pixels' }>): Promise<Buffer> {
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .png({ compressionLevel: 6 })
    .toBuffer()
}

/**
 * Reads, hashes and fully decodes an image (writing its thumbnail on the way: decoding is what
 * proves a file is an image). Throws with sharp's words when the file is not a readable image.
 * A thumbnail not yet in the cache goes to `written` before it is written, so that a failed import
 * can remove it (and its folder), however far the write got.
 */
export async function processImage(bytes: Buffer, thumbnailsDir: string, written: string[]): Promise<ProcessedImage> {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const meta = await sharp(bytes).metadata()
  if (!meta.width || !meta.height) throw new Error('no image dimensions')
  const thumbnail = thumbnailPath(thumbnailsDir, sha256)
  if (!existsSync(thumbnail)) written.push(thumbnail)
  await ensureThumbnail(thumbnailsDir, sha256, bytes)
  return { sha256, width: meta.width, height: meta.height, bytes }
}

export const readImageFile = (file: string): Promise<Buffer> => readFile(file)

/** Writes media the workbench creates itself (e.g. FER2013 pixels as PNG) under the workspace. */
export function writeMedia(file: string, bytes: Buffer): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, bytes)
}

export const mediaFolderFor = (mediaDir: string, dataset: string): string =>
  join(mediaDir, dataset.replace(/[^A-Za-z0-9._-]+/g, '_'))
