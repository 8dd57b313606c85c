import { createHash } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { SnapshotImage, TrainingSnapshot } from './snapshot'
import { decodeImage, RESIZE_MODE, type DecodeTarget } from './decode'

// Every image of a snapshot decoded once to the run's input size, kept as one byte array in row
// order of the snapshot, and cached on disk per (image list, size, channels) so that a second run
// on the same images (another method, a resume, a prediction) starts without decoding again. The
// key is a hash of the image files in row order rather than the whole snapshot hash: editing a
// label or moving an image to another split makes a new snapshot but needs no new decoding.

/** The decoded images of a snapshot: row r occupies bytes [r * imageBytes, (r + 1) * imageBytes). */
export interface ImageSet {
  pixels: Uint8Array
  size: number
  channels: 1 | 3
  count: number
  imageBytes: number
}

export interface LoadImagesOptions extends DecodeTarget {
  cacheDir: string
  /** The file to read for a snapshot's image path (image-paths.ts); the path itself by default. */
  locate?: (path: string) => string
  /** Called as images are decoded (not when the cache is hit). */
  onProgress?: (done: number, total: number) => void
}

export interface LoadedImages extends ImageSet {
  fromCache: boolean
  /** Set when the decoded images could not be written to the cache. */
  cacheWarning?: string
}

// Bump when decoding changes (resize mode, colour conversion), so old caches are not reused.
const CACHE_VERSION = 1
const PARALLEL_DECODES = 8

/** sha256 of the image files in row order: what the decoded bytes depend on. */
export function imageListHash(images: readonly Pick<SnapshotImage, 'path'>[]): string {
  const h = createHash('sha256')
  for (const image of images) h.update(image.path).update('\0')
  return h.digest('hex')
}

/** Where the decoded images of a snapshot at a given size are cached. */
export function imageCachePath(
  cacheDir: string,
  images: readonly Pick<SnapshotImage, 'path'>[],
  target: DecodeTarget,
): string {
  return join(
    cacheDir,
    `images-${imageListHash(images).slice(0, 32)}-${target.size}x${target.size}x${target.channels}-${RESIZE_MODE}-v${CACHE_VERSION}.u8`,
  )
}

/** The snapshot's images at the target size, from the cache when it is there, else decoded (and cached). */
export async function loadImageSet(
  snapshot: Pick<TrainingSnapshot, 'images'>,
  options: LoadImagesOptions,
): Promise<LoadedImages> {
  const imageBytes = options.size * options.size * options.channels
  const count = snapshot.images.length
  const total = imageBytes * count
  const base = { size: options.size, channels: options.channels, count, imageBytes }
  const path = imageCachePath(options.cacheDir, snapshot.images, options)
  const cached = await readCache(path, total)
  if (cached) return { ...base, pixels: cached, fromCache: true }

  if (total > 2 ** 32 - 1) {
    throw new Error(
      `${count} images at ${options.size}x${options.size}x${options.channels} need ${(total / 2 ** 30).toFixed(1)} GiB of memory, more than one array can hold: use a smaller input size`,
    )
  }
  const pixels = new Uint8Array(total)
  const locate = options.locate ?? ((path: string) => path)
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    while (next < count) {
      const row = next++
      const image = snapshot.images[row]
      pixels.set(await decodeImage(image.id, locate(image.path), options), row * imageBytes)
      done++
      options.onProgress?.(done, count)
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DECODES, count) }, worker))
  // The cache only saves time: a read-only or full cache folder must not stop the run.
  let cacheWarning: string | undefined
  try {
    await writeCache(path, pixels)
  } catch (error) {
    cacheWarning = `decoded images could not be cached in ${options.cacheDir} (${error instanceof Error ? error.message : String(error)}); the next run will decode them again`
  }
  return { ...base, pixels, fromCache: false, cacheWarning }
}

/** The cached bytes, or null when absent or of the wrong length (a cache is never trusted blindly). */
async function readCache(path: string, expectedBytes: number): Promise<Uint8Array | null> {
  try {
    if ((await stat(path)).size !== expectedBytes) return null
    const buf = await readFile(path)
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
  } catch {
    return null
  }
}

/** Temp file + fsync + rename: an interrupted write never leaves a short cache behind. */
async function writeCache(path: string, pixels: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.partial`
  const file = await open(temp, 'w')
  try {
    await file.write(pixels)
    await file.sync()
  } catch (error) {
    await file.close()
    await rm(temp, { force: true })
    throw error
  }
  await file.close()
  await rename(temp, path)
}
