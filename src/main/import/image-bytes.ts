import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { ensureThumbnail, THUMBNAIL_SIZE, thumbnailPath } from '../catalogue/media'
import { browserMime, fitsThumbnail } from '../catalogue/shown-as-is'
import { writeSmallFile } from '../files/small-file'
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

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

/** A thumbnail about to be written goes to `written` first, so that a failed import removes it however far the write got. */
function listNew(thumbnailsDir: string, sha256: string, written: string[]): boolean {
  const thumbnail = thumbnailPath(thumbnailsDir, sha256)
  if (existsSync(thumbnail)) return false
  written.push(thumbnail)
  return true
}

/**
 * Reads, hashes and fully decodes an image: decoding is what proves a file is a picture. A picture
 * no larger than a thumbnail, in a format browsers show, is decoded only (it is shown as itself,
 * catalogue/shown-as-is.ts). Any other has its thumbnail drawn in the same libvips pass, which also
 * gives its size when the thumbnail shows it unscaled; larger pictures (and pictures whose
 * thumbnail is cached already) have their header read for their size. Throws with sharp's words
 * when the file is not a readable image.
 */
export async function processImage(bytes: Buffer, thumbnailsDir: string, written: string[]): Promise<ProcessedImage> {
  const sha256 = sha256Of(bytes)
  const small = await decodedIfSmall(bytes)
  if (small) return { sha256, ...small, bytes }
  let size: { width: number; height: number } | undefined
  if (listNew(thumbnailsDir, sha256, written))
    await ensureThumbnail(thumbnailsDir, sha256, bytes, (drawn) => (size = drawn))
  if (!size) size = await headerSize(bytes)
  return { sha256, ...size, bytes }
}

async function headerSize(bytes: Buffer): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes).metadata()
  if (!meta.width || !meta.height) throw new Error('no image dimensions')
  return { width: meta.width, height: meta.height }
}

/** The size of a picture shown as itself, once it decoded whole; undefined for any other picture (nothing decoded). */
async function decodedIfSmall(bytes: Buffer): Promise<{ width: number; height: number } | undefined> {
  if (!browserMime(bytes) || !fitsThumbnail(await headerSize(bytes), THUMBNAIL_SIZE)) return undefined
  const { info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height }
}

/**
 * An image given as pixels (FER2013): its PNG, the media file hashed for its identity. No thumbnail
 * is drawn here: pixels need no decoding to prove they are a picture (what drawing a file's
 * thumbnail does at import), and a second libvips pipeline per row was half of a FER2013 import's
 * CPU time (issue 12). The Catalogue draws one when the picture is first shown (readMedia), into
 * the same cache.
 */
export async function processPixels(image: Extract<RecordImage, { type: 'pixels' }>): Promise<ProcessedImage> {
  const bytes = await pixelsToPng(image)
  return { sha256: sha256Of(bytes), width: image.width, height: image.height, bytes }
}

/**
 * An image file's bytes, read synchronously: through fs/promises a read is an open, a stat, a read
 * and a close, each handed to libuv's thread pool and back, which for the small pictures of a
 * crops dataset costs more CPU than the reading (issue 12). A photo of many megabytes holds the
 * event loop for the few milliseconds its read takes, as the synchronous writes do (files/small-file.ts).
 */
export const readImageFile = (file: string): Buffer => readFileSync(file)

/** Writes media the workbench creates itself (e.g. FER2013 pixels as PNG) under the workspace. */
export const writeMedia = (file: string, bytes: Buffer): void => writeSmallFile(file, bytes)

export const mediaFolderFor = (mediaDir: string, dataset: string): string =>
  join(mediaDir, dataset.replace(/[^A-Za-z0-9._-]+/g, '_'))
