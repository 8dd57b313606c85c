import sharp, { type Sharp } from 'sharp'
import type { FaceBox } from '../../shared/faces'
import { writeSmallFile } from '../files/small-file'
import { alignedCropPlan, boxCropPlan, type CropPlan, type Point } from './alignment'
import { PhotoProblemError, readPhotoHeader, type ScaledPixels } from './photo-pixels'

// Cutting face crops with sharp (libvips): the square region around the face (padded with black
// where it reaches past the photo's edges), scaled to the crop's resolution, turned so the eyes
// are level, and its centre kept. The result is PNG bytes.

const BLACK = { r: 0, g: 0, b: 0 }

type Raw = { data: Buffer; width: number; height: number }

const fromRaw = (raw: Raw): Sharp => sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })

async function toRaw(image: Sharp): Promise<Raw> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/**
 * The square region (its pixels: left, top, side) of an image, padded with black where it reaches
 * past the edges (that case decodes the region once more, to pad it before scaling).
 */
async function squareRegion(
  image: Sharp,
  width: number,
  height: number,
  left: number,
  top: number,
  side: number,
): Promise<Sharp> {
  if (left >= 0 && top >= 0 && left + side <= width && top + side <= height)
    return image.extract({ left, top, width: side, height: side })
  const x0 = Math.max(0, left)
  const y0 = Math.max(0, top)
  const x1 = Math.min(width, left + side)
  const y1 = Math.min(height, top + side)
  if (x1 <= x0 || y1 <= y0)
    throw new Error(`the face region (${left}, ${top}, side ${side}) lies outside the ${width} x ${height} photo`)
  const cut = image.extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
  return fromRaw(
    await toRaw(
      cut.extend({
        left: x0 - left,
        top: y0 - top,
        right: left + side - x1,
        bottom: top + side - y1,
        background: BLACK,
      }),
    ),
  )
}

/**
 * Side of a square of `side` pixels once libvips has turned it by `degrees`: the bounding box of
 * the turned square, rounded (equal to libvips' for 150 random sizes and angles). Knowing it lets
 * the centre be cut in the same pipeline; a libvips that rounded otherwise would shift the crop by
 * half a pixel, or fail the alignment tests with an extract error.
 */
const turnedSide = (side: number, degrees: number): number => {
  const angle = (degrees * Math.PI) / 180
  return Math.round(side * (Math.abs(Math.cos(angle)) + Math.abs(Math.sin(angle))))
}

/** Scales and levels a region cut for `plan`, keeps its centre and encodes it as PNG: one libvips pipeline. */
async function finish(region: Sharp, plan: CropPlan): Promise<Uint8Array> {
  let pipeline = region.resize(plan.scaledSide, plan.scaledSide, { fit: 'fill' })
  let side = plan.scaledSide
  if (Math.abs(plan.rotateDegrees) > 0.01) {
    pipeline = pipeline.rotate(plan.rotateDegrees, { background: BLACK })
    side = turnedSide(plan.scaledSide, plan.rotateDegrees)
  }
  const offset = Math.max(0, Math.round((side - plan.side) / 2))
  const png = await pipeline
    .extract({ left: offset, top: offset, width: plan.side, height: plan.side })
    .png()
    .toBuffer()
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength)
}

/** The square of `plan` in the pixels of a decoded copy (or of its part, placed by `pixels.part`). */
function squareIn(pixels: ScaledPixels, plan: CropPlan): { left: number; top: number; side: number } {
  const origin = pixels.part ?? { left: 0, top: 0 }
  return {
    left: Math.round(plan.region.left * pixels.scaleX) - origin.left,
    top: Math.round(plan.region.top * pixels.scaleY) - origin.top,
    side: Math.max(1, Math.round(plan.region.side * pixels.scaleX)),
  }
}

/**
 * Whether `pixels` hold every pixel of the photo that `plan` needs (what lies past the photo's
 * edges is padded). Always so for a whole copy; a part around the faces may fall short.
 */
export function pixelsHoldCrop(pixels: ScaledPixels, plan: CropPlan): boolean {
  const part = pixels.part
  if (!part) return true
  const { left, top, side } = squareIn(pixels, plan)
  // The square clipped to the whole copy, in the part's pixels, must lie inside the part.
  const x0 = Math.max(left, -part.left)
  const y0 = Math.max(top, -part.top)
  const x1 = Math.min(left + side, part.fullWidth - part.left)
  const y1 = Math.min(top + side, part.fullHeight - part.top)
  return x0 >= 0 && y0 >= 0 && x1 <= pixels.width && y1 <= pixels.height
}

/**
 * Cuts `plan` (source-photo pixels) from a decoded copy of the photo. With a part of the copy,
 * check pixelsHoldCrop first: what the square needs outside the part would be padded black.
 */
export async function cropFromPixels(pixels: ScaledPixels, plan: CropPlan): Promise<Uint8Array> {
  const { left, top, side } = squareIn(pixels, plan)
  const image = fromRaw({
    data: Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength),
    width: pixels.width,
    height: pixels.height,
  })
  return finish(await squareRegion(image, pixels.width, pixels.height, left, top, side), plan)
}

/** Cuts `plan` (source-photo pixels, EXIF orientation applied) from the photo file. */
export async function cropFromFile(path: string, plan: CropPlan): Promise<Uint8Array> {
  const { width, height } = await readPhotoHeader(path)
  const side = Math.max(1, Math.round(plan.region.side))
  const upright = sharp(path, { failOn: 'error' }).autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb')
  try {
    return await finish(
      await squareRegion(upright, width, height, Math.round(plan.region.left), Math.round(plan.region.top), side),
      plan,
    )
  } catch (error) {
    throw new PhotoProblemError('unreadable', `${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** The eyes-aligned crop of a face (eye centres in source pixels) as PNG bytes. */
export function alignedCrop(
  pixels: ScaledPixels,
  eyes: [Point, Point],
  options: { cropSize: number; margin: number },
): Promise<Uint8Array> {
  return cropFromPixels(pixels, alignedCropPlan(eyes[0], eyes[1], options.cropSize, options.margin))
}

/** The crop of a face box a dataset gives (no landmarks): squared, with margin, padded at the edges. */
export function boxCrop(
  path: string,
  box: FaceBox,
  options: { cropSize: number; margin: number },
): Promise<Uint8Array> {
  return cropFromFile(path, boxCropPlan(box, options.cropSize, options.margin))
}

/** Writes a crop to the cache atomically (a reader never sees half a PNG). */
export async function writeCrop(png: Uint8Array, path: string): Promise<void> {
  writeSmallFile(path, png)
}
