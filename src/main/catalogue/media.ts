import type { Database } from 'better-sqlite3'
import { existsSync, lstatSync } from 'node:fs'
import { extname, join } from 'node:path'
import sharp from 'sharp'
import { WorkbenchError } from '../../shared/errors'
import { prepared } from '../db/statements'
import { FileRefused, readContainedFile } from '../files/contained-file'
import { writeSmallFile } from '../files/small-file'
import { filePath } from '../workspace/stored-paths'
import { frameJpeg, frameOf, frameProxy, type FrameRef } from '../video/frame-media'
import type { DatasetRow, ImageRow } from './catalogue-rows'
import { browserMime, fitsThumbnail, pngSize } from './shown-as-is'

/**
 * `full`: the source photo (or the image itself); `thumb`: the item's thumbnail; `crop`: a face
 * item's aligned crop; `proxy`: a video frame's small copy for scrubbing (a still's thumbnail).
 */
export type MediaKind = 'full' | 'thumb' | 'crop' | 'proxy'
export const MEDIA_KINDS: readonly MediaKind[] = ['full', 'thumb', 'crop', 'proxy']
export interface Media {
  mime: string
  bytes: Buffer
  /** A stand-in for what was asked (a thumbnail while a video's proxy is written): not to be cached. */
  temporary?: boolean
}

export const THUMBNAIL_SIZE = 128

// libvips keeps its last 100 operations in case the same one comes again. The workbench never asks
// twice (each picture is drawn once, then read from the caches on disk), and the look-ups and
// evictions cost an import of small pictures an eighth of its CPU time (issue 12): no cache.
sharp.cache(false)

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.gif': 'image/gif',
}

/**
 * Absolute file of an item's source (its dataset's root joined with the stored relative path: the
 * photo a face was cut from, or the image itself), that root, and the item's crop when it is a face.
 */
export function imageFile(
  db: Database,
  id: number,
): { file: string; root: string; sha256: string; cropSha256: string | null; width: number; height: number } {
  const row = prepared<
    Pick<DatasetRow, 'root'> & Pick<ImageRow, 'path' | 'sha256' | 'crop_sha256' | 'width' | 'height'>
  >(
    db,
    'SELECT d.root, coalesce(i.source_path, i.path) AS path, i.sha256, i.crop_sha256, i.width, i.height FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.id = ?',
  ).get(id)
  if (!row) throw new WorkbenchError('not_found', `No image with id ${id} in this workspace.`, { id })
  const root = filePath(db, row.root)
  const { sha256, width, height } = row
  return { file: join(root, row.path), root, sha256, cropSha256: row.crop_sha256, width, height }
}

/** The aligned crop of a face item in the crop cache (named by its hash, like the thumbnails). */
export const cropPath = (cropsDir: string, sha256: string): string =>
  join(cropsDir, sha256.slice(0, 2), `${sha256}.png`)

/** A face item's crop, or its thumbnail (drawn from the crop), from the workspace's caches. */
async function faceMedia(
  caches: MediaCaches,
  id: number,
  cropSha256: string,
  kind: Exclude<MediaKind, 'full'>,
): Promise<Media> {
  const crop = cropPath(caches.cropsDir, cropSha256)
  if (!cachedThumbnail(crop))
    throw new WorkbenchError('not_found', `The face crop of image ${id} is missing from the crop cache: ${crop}.`, {
      id,
      file: crop,
    })
  const cached = thumbnailPath(caches.thumbnailsDir, cropSha256)
  if (kind !== 'crop' && cachedThumbnail(cached))
    return { mime: 'image/webp', bytes: readContainedFile(cached, caches.thumbnailsDir) }
  const png = readContainedFile(crop, caches.cropsDir)
  const size = pngSize(png)
  if (kind === 'crop' || (size && fitsThumbnail(size, THUMBNAIL_SIZE))) return { mime: 'image/png', bytes: png }
  const out = await ensureThumbnail(caches.thumbnailsDir, cropSha256, png)
  return { mime: 'image/webp', bytes: readContainedFile(out, caches.thumbnailsDir) }
}

/** Thumbnail file path in the cache for a content hash (content-addressed: shared by duplicates). */
export const thumbnailPath = (thumbnailsDir: string, sha256: string): string =>
  join(thumbnailsDir, sha256.slice(0, 2), `${sha256}.webp`)

/** A cached thumbnail counts only as a regular file of its own: a link put in its place is not ours. */
function cachedThumbnail(out: string): boolean {
  try {
    return lstatSync(out).isFile()
  } catch {
    return false
  }
}

/** Raw pixels (a video frame decoded small, a FER2013 row), as a thumbnail's source; RGB unless `channels` says. */
export interface RawPixels {
  raw: Buffer
  width: number
  height: number
  channels?: 1 | 2 | 3 | 4
}

/** The size of the picture a thumbnail was drawn from, when the thumbnail shows it (both sides under THUMBNAIL_SIZE: not scaled). */
export type DrawnSize = (size: { width: number; height: number }) => void

/**
 * Writes the thumbnail of an image's bytes (or of raw pixels) into the cache unless it is there
 * already. Decoding, resizing and encoding happen in one libvips pipeline off the main thread; the
 * few kilobytes it gives are written at once (files/small-file.ts). `onDrawn` gets
 * the source's size when a new thumbnail shows it unscaled, which spares the caller a second look.
 */
export async function ensureThumbnail(
  thumbnailsDir: string,
  sha256: string,
  source: Buffer | string | RawPixels,
  onDrawn?: DrawnSize,
): Promise<string> {
  const out = thumbnailPath(thumbnailsDir, sha256)
  if (cachedThumbnail(out)) return out
  const input =
    typeof source === 'string' || Buffer.isBuffer(source)
      ? sharp(source)
      : sharp(source.raw, { raw: { width: source.width, height: source.height, channels: source.channels ?? 3 } })
  const { data, info } = await input
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    // effort 0 of 6: about half the CPU of the default, for thumbnails a tenth larger.
    .webp({ quality: 80, effort: 0 })
    .toBuffer({ resolveWithObject: true })
  if (info.width < THUMBNAIL_SIZE && info.height < THUMBNAIL_SIZE) onDrawn?.({ width: info.width, height: info.height })
  writeSmallFile(out, data)
  return out
}

/** The image's own bytes, refused when its file is missing, not a regular file, or a link leading out of its dataset folder. */
function imageBytes(id: number, file: string, root: string): Buffer {
  try {
    return readContainedFile(file, root)
  } catch (e) {
    if (!(e instanceof FileRefused)) throw e
    if (e.reason === 'missing')
      throw new WorkbenchError('not_found', `The file of image ${id} is missing: ${file}. Was the dataset moved?`, {
        id,
        file,
      })
    const why = e.reason === 'outside' ? `leads outside its dataset folder ${root} (a link?)` : 'is not a regular file'
    throw new WorkbenchError('forbidden', `The file of image ${id} ${why}, so it is not shown: ${file}.`, { id, file })
  }
}

/** Where a workspace keeps what it draws from images. */
export interface MediaCaches {
  db: Database
  thumbnailsDir: string
  cropsDir: string
  /** Video frames' proxies for scrubbing (video/proxy-frames.ts). */
  proxiesDir: string
}

/** The bytes of an image, its thumbnail or its face crop, found by image id only (never by a path from the UI). */
export async function readMedia(caches: MediaCaches, id: number, kind: MediaKind): Promise<Media> {
  const { db, thumbnailsDir } = caches
  // A video frame has no file of its own: it is decoded from its video (video/frame-media.ts); a
  // face found in it has its crop and the crop's thumbnail, like a face of a photo.
  const frame = frameOf(db, id)
  if (frame && (kind === 'full' || kind === 'proxy' || (kind === 'thumb' && !frame.cropSha256)))
    return frameMedia(caches, frame, kind)
  if (kind === 'proxy') return readMedia(caches, id, 'thumb')
  const { file, root, sha256, cropSha256, width, height } = imageFile(db, id)
  if (kind !== 'full' && cropSha256) return faceMedia(caches, id, cropSha256, kind)
  if (kind === 'crop')
    throw new WorkbenchError(
      'not_found',
      `Image ${id} is a whole image, not a face cut from a photo: it has no crop.`,
      {
        id,
      },
    )
  if (kind === 'full')
    return { mime: MIME[extname(file).toLowerCase()] ?? 'application/octet-stream', bytes: imageBytes(id, file, root) }
  if (!existsSync(file))
    throw new WorkbenchError('not_found', `The file of image ${id} is missing: ${file}. Was the dataset moved?`, {
      id,
      file,
    })
  // A thumbnail drawn at import (or since) is in the cache; a picture no larger than a thumbnail is
  // shown as itself; only a larger one without a cached thumbnail reads the file to draw one.
  const cached = thumbnailPath(thumbnailsDir, sha256)
  if (cachedThumbnail(cached)) return { mime: 'image/webp', bytes: readContainedFile(cached, thumbnailsDir) }
  const bytes = imageBytes(id, file, root)
  const asItself = fitsThumbnail({ width, height }, THUMBNAIL_SIZE) ? browserMime(bytes) : undefined
  if (asItself) return { mime: asItself, bytes }
  const out = await ensureThumbnail(thumbnailsDir, sha256, bytes)
  return { mime: 'image/webp', bytes: readContainedFile(out, thumbnailsDir) }
}

/**
 * A video frame: full size decoded from its video on demand; its proxy from the video's proxy
 * file (the thumbnail, not to be cached, while that is written); its thumbnail from the cache,
 * drawn again when gone.
 */
async function frameMedia(caches: MediaCaches, frame: FrameRef, kind: Exclude<MediaKind, 'crop'>): Promise<Media> {
  if (kind === 'full') return { mime: 'image/jpeg', bytes: await frameJpeg(frame) }
  if (kind === 'proxy') {
    const proxy = frameProxy(caches.proxiesDir, frame)
    if (proxy) return { mime: 'image/jpeg', bytes: proxy }
    return { ...(await frameMedia(caches, frame, 'thumb')), temporary: true }
  }
  const { thumbnailsDir } = caches
  const out = thumbnailPath(thumbnailsDir, frame.sha256)
  if (!cachedThumbnail(out)) await ensureThumbnail(thumbnailsDir, frame.sha256, await frameJpeg(frame))
  return { mime: 'image/webp', bytes: readContainedFile(out, thumbnailsDir) }
}
