import { stat } from 'node:fs/promises'
import sharp, { type Metadata } from 'sharp'
import { MAX_PHOTO_MEGAPIXELS, type PhotoProblemCode } from '../../shared/faces'

// Reading a photo for the face finder: the header first (size limit, orientation), then one decode
// into an upright 8-bit RGB "working copy", and from it the smaller "detection copy" the detector
// sees. Grey, CMYK, 16-bit and transparent images all end up as plain sRGB (transparency shown on
// white, as a viewer would).

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

/** Orientations 5-8 swap width and height. */
const isSideways = (orientation: number | undefined): boolean =>
  orientation !== undefined && orientation >= 5 && orientation <= 8

/** Checks the file and its header; returns the upright size. Nothing is decoded. */
export async function readPhotoHeader(path: string): Promise<{ width: number; height: number }> {
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
    ? { width: meta.height, height: meta.width }
    : { width: meta.width, height: meta.height }
}

/** Decodes the upright photo as 8-bit sRGB, its long side at most `maxSide`. */
async function decodeUpright(path: string, maxSide: number): Promise<Pixels> {
  try {
    const { data, info } = await sharp(path, { failOn: 'error', limitInputPixels: MAX_PIXELS })
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`)
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    }
  } catch (error) {
    throw new PhotoProblemError(
      'unreadable',
      `${path}: the image is truncated or corrupt and cannot be decoded (${messageOf(error)})`,
    )
  }
}

/** The detector's copy: long side `side` (up or down), padded to multiples of 32 with black. */
async function detectionCopy(
  working: Pixels,
  side: number,
): Promise<Pixels & { contentWidth: number; contentHeight: number }> {
  const scale = side / Math.max(working.width, working.height)
  const contentWidth = Math.max(1, Math.round(working.width * scale))
  const contentHeight = Math.max(1, Math.round(working.height * scale))
  const width = Math.ceil(contentWidth / 32) * 32
  const height = Math.ceil(contentHeight / 32) * 32
  const data = await sharp(working.data, { raw: { width: working.width, height: working.height, channels: 3 } })
    .resize(contentWidth, contentHeight, { fit: 'fill' })
    .extend({ right: width - contentWidth, bottom: height - contentHeight, background: '#000000' })
    .raw()
    .toBuffer()
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width,
    height,
    contentWidth,
    contentHeight,
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
  const det = await detectionCopy(pixels, detectionSize)
  const detection: ScaledPixels = {
    data: det.data,
    width: det.width,
    height: det.height,
    scaleX: det.contentWidth / width,
    scaleY: det.contentHeight / height,
  }
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
