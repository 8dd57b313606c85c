import { stat } from 'node:fs/promises'
import sharp, { type Metadata, type Sharp } from 'sharp'
import { MAX_PHOTO_MEGAPIXELS, type PhotoProblemCode } from '../../shared/faces'

// Reading a photo for the face finder: the header first (size limit, orientation), then one decode
// into an upright 8-bit RGB "working copy", and from it the smaller "detection copy" the detector
// sees. Grey, CMYK, 16-bit and transparent images all end up as plain sRGB (transparency shown on
// white, as a viewer would).
//
// A JPEG photo at least twice the detection size (and not over the working size) is read in two
// parts instead (readPhotoForFaces): the detection copy straight from the file, where libjpeg
// decodes at 1/2, 1/4 or 1/8 of the size (shrink-on-load), and, once the faces are found, only the
// part of the photo around them at full size (photo-region.ts). Decoding all 2-3 million pixels
// of a 1920 px photo at full size was most of the decode time, most of them never used.

/** Tightly packed RGB bytes, row by row. */
export interface Pixels {
  data: Uint8Array
  width: number
  height: number
}

/** A copy of the photo at another size: `scaleX` / `scaleY` are its pixels per source pixel. */
export interface ScaledPixels extends Pixels {
  scaleX: number
  scaleY: number
  /**
   * Set when `data` is only a part of that copy (the part around the faces): where its first pixel
   * lies in the whole copy, and the whole copy's size. Absent: `data` is the whole copy.
   */
  part?: { left: number; top: number; fullWidth: number; fullHeight: number }
}

export interface DecodedPhoto {
  path: string
  /** Upright size of the source photo (after EXIF orientation). */
  width: number
  height: number
  /** At most `workingSize` on its long side: landmarks and crops are taken from it. */
  working: ScaledPixels
  /** `detectionSize` on its long side, padded with black at the right and bottom to multiples of 32. */
  detection: ScaledPixels
}

/**
 * A photo read for the face finder. `working` is null when only the detection copy was decoded:
 * the pixels around the faces are then read from the file once the faces are known (readAroundFaces).
 */
export interface PhotoForFaces extends Omit<DecodedPhoto, 'working'> {
  working: ScaledPixels | null
}

/** A photo that gives no faces for a reason the user can act on. */
export class PhotoProblemError extends Error {
  constructor(
    readonly code: PhotoProblemCode,
    message: string,
  ) {
    super(message)
    this.name = 'PhotoProblemError'
  }
}

const MAX_PIXELS = MAX_PHOTO_MEGAPIXELS * 1_000_000

// No libvips operation cache in the face finder either (as in catalogue/media.ts): every photo is
// decoded once, and keeping the last ones' operations only costs look-ups, evictions and memory.
sharp.cache(false)
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
const corrupt = (path: string, error: unknown): PhotoProblemError =>
  new PhotoProblemError(
    'unreadable',
    `${path}: the image is truncated or corrupt and cannot be decoded (${messageOf(error)})`,
  )

/** Orientations 5-8 swap width and height. */
const isSideways = (orientation: number | undefined): boolean =>
  orientation !== undefined && orientation >= 5 && orientation <= 8

/** Checks the file and its header; returns the upright size and the file's format. Nothing is decoded. */
async function checkHeader(path: string): Promise<{ width: number; height: number; format: string | undefined }> {
  let size: number
  try {
    size = (await stat(path)).size
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new PhotoProblemError(
      code === 'ENOENT' ? 'missing' : 'unreadable',
      code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot be read (${messageOf(error)})`,
    )
  }
  if (size === 0) throw new PhotoProblemError('empty', `${path}: the file is empty (0 bytes)`)
  let meta: Metadata
  try {
    meta = await sharp(path).metadata()
  } catch (error) {
    throw new PhotoProblemError('unreadable', `${path}: not an image that can be read (${messageOf(error)})`)
  }
  if (!meta.width || !meta.height) throw new PhotoProblemError('unreadable', `${path}: the image header gives no size`)
  const pixels = meta.width * meta.height
  if (pixels > MAX_PIXELS) {
    throw new PhotoProblemError(
      'too_large',
      `${path}: ${meta.width} x ${meta.height} pixels (${(pixels / 1e6).toFixed(1)} megapixels) is over the ${MAX_PHOTO_MEGAPIXELS} megapixel limit: downscale it first`,
    )
  }
  return isSideways(meta.orientation)
    ? { width: meta.height, height: meta.width, format: meta.format }
    : { width: meta.width, height: meta.height, format: meta.format }
}

/** Checks the file and its header; returns the upright size. Nothing is decoded. */
export async function readPhotoHeader(path: string): Promise<{ width: number; height: number }> {
  const { width, height } = await checkHeader(path)
  return { width, height }
}

/** The photo file as libvips will decode it: upright (EXIF orientation applied), 8-bit sRGB, transparency on white. */
export const uprightPhoto = (path: string): Sharp =>
  sharp(path, { failOn: 'error', limitInputPixels: MAX_PIXELS })
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')

/** Runs a decoding pipeline to raw RGB; a failure is the file's `unreadable` problem, named. */
export async function decodeRaw(path: string, pipeline: Sharp): Promise<Pixels> {
  try {
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`)
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    }
  } catch (error) {
    throw corrupt(path, error)
  }
}

/** Decodes the upright photo as 8-bit sRGB, its long side at most `maxSide`. */
const decodeUpright = (path: string, maxSide: number): Promise<Pixels> =>
  decodeRaw(path, uprightPhoto(path).resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }))

/**
 * The detector's copy of an image of `width` x `height` (`image`, a pipeline reading it): long
 * side `side` (up or down), padded to multiples of 32 with black; its scale is to `source` pixels.
 */
async function detectionCopy(
  image: Sharp,
  { width, height }: { width: number; height: number },
  side: number,
  source: { width: number; height: number },
): Promise<ScaledPixels> {
  const scale = side / Math.max(width, height)
  const contentWidth = Math.max(1, Math.round(width * scale))
  const contentHeight = Math.max(1, Math.round(height * scale))
  const paddedWidth = Math.ceil(contentWidth / 32) * 32
  const paddedHeight = Math.ceil(contentHeight / 32) * 32
  const data = await image
    .resize(contentWidth, contentHeight, { fit: 'fill' })
    .extend({ right: paddedWidth - contentWidth, bottom: paddedHeight - contentHeight, background: '#000000' })
    .raw()
    .toBuffer()
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: paddedWidth,
    height: paddedHeight,
    scaleX: contentWidth / source.width,
    scaleY: contentHeight / source.height,
  }
}

/** The working copy (already decoded) and the detection copy, each with its scale to the source's pixels. */
async function scaledCopies(
  path: string,
  width: number,
  height: number,
  pixels: Pixels,
  detectionSize: number,
): Promise<DecodedPhoto> {
  const working: ScaledPixels = { ...pixels, scaleX: pixels.width / width, scaleY: pixels.height / height }
  const raw = sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
  const detection = await detectionCopy(raw, pixels, detectionSize, { width, height })
  return { path, width, height, working, detection }
}

/** Reads a photo into its working and detection copies, or throws a PhotoProblemError naming the file. */
export async function decodePhoto(
  path: string,
  sizes: { workingSize: number; detectionSize: number },
): Promise<DecodedPhoto> {
  const { width, height } = await readPhotoHeader(path)
  const pixels = await decodeUpright(path, sizes.workingSize)
  return scaledCopies(path, width, height, pixels, sizes.detectionSize)
}

/**
 * Whether to read a photo in two parts (see the top of this file): JPEG only (its decoder scales
 * down while decoding), at least twice the detection size (else nothing is scaled down, and the
 * faces' part would be a second full decode), and not over the working size (whose copy is scaled).
 */
const readsInParts = (
  header: { width: number; height: number; format: string | undefined },
  sizes: { workingSize: number; detectionSize: number },
): boolean => {
  const long = Math.max(header.width, header.height)
  return header.format === 'jpeg' && long >= 2 * sizes.detectionSize && long <= sizes.workingSize
}

/**
 * Reads a photo for the face finder: the detection copy, and the working copy unless the photo is
 * read in parts (then `working` is null). Throws a PhotoProblemError naming the file.
 */
export async function readPhotoForFaces(
  path: string,
  sizes: { workingSize: number; detectionSize: number },
): Promise<PhotoForFaces> {
  const header = await checkHeader(path)
  const { width, height } = header
  if (!readsInParts(header, sizes))
    return scaledCopies(path, width, height, await decodeUpright(path, sizes.workingSize), sizes.detectionSize)
  const detection = await detectionCopy(uprightPhoto(path), header, sizes.detectionSize, header).catch(
    (error: unknown) => {
      throw corrupt(path, error)
    },
  )
  return { path, width, height, detection, working: null }
}

/**
 * A video frame the finder decoded itself (RGB at the video's size), as working and detection
 * copies: frames are upright already and never over the size limit of a video stream.
 */
export async function decodeFrame(
  name: string,
  frame: Pixels,
  sizes: { workingSize: number; detectionSize: number },
): Promise<DecodedPhoto> {
  const { width, height } = frame
  const pixels =
    Math.max(width, height) <= sizes.workingSize
      ? frame
      : await sharp(frame.data, { raw: { width, height, channels: 3 } })
          .resize(sizes.workingSize, sizes.workingSize, { fit: 'inside' })
          .raw()
          .toBuffer({ resolveWithObject: true })
          .then(({ data, info }) => ({
            data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
            width: info.width,
            height: info.height,
          }))
  return scaledCopies(name, width, height, pixels, sizes.detectionSize)
}
