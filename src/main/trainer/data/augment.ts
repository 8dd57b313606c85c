import type { Augmentation } from '../../../shared/run-config'
import { mulberry32 } from '../../../shared/random'

// Training-time augmentation of the paper: pad each image with a black border, crop it back to its
// size at a random position (the face shifts by up to `pad` pixels), and optionally mirror it.
// Pure TypeScript on Float32 NHWC batches so it is identical on every backend and costs nothing
// next to a training step; deterministic for a seed so a resumed run sees the same batches.

export interface BatchShape {
  batch: number
  height: number
  width: number
  channels: number
}

export type AugmentOptions = Pick<Augmentation, 'pad' | 'randomCrop' | 'horizontalFlip'>

/** How one image of a batch is moved: out(y, x) = in(y + dy, x + dx), mirrored first when flip. */
export interface ImageShift {
  dy: number
  dx: number
  flip: boolean
}

/** The shift of every image of a batch, drawn from the seed (the landmarks of the batch move with them). */
export function drawShifts(batch: number, options: AugmentOptions, seed: number): ImageShift[] {
  const random = mulberry32(seed)
  const pad = options.randomCrop ? options.pad : 0
  // Draw in a fixed order per image so the stream does not depend on which options are on.
  return Array.from({ length: batch }, () => {
    const dy = Math.floor(random() * (2 * pad + 1)) - pad
    const dx = Math.floor(random() * (2 * pad + 1)) - pad
    const flip = random() < 0.5 && options.horizontalFlip
    return { dy, dx, flip }
  })
}

/**
 * Pad + crop (+ flip) every image of a batch into a new array; the input is left untouched (it is
 * usually the cached data set). Without randomCrop the crop is centred, i.e. the image is unchanged.
 */
export function augmentBatch(
  images: Float32Array,
  shape: BatchShape,
  options: AugmentOptions,
  seed: number,
): Float32Array {
  return shiftImages(images, shape, drawShifts(shape.batch, options, seed))
}

/** Every image of a batch moved by its shift, into a new array. */
export function shiftImages(images: Float32Array, shape: BatchShape, shifts: readonly ImageShift[]): Float32Array {
  const { batch, height, width, channels } = shape
  const imageSize = height * width * channels
  if (images.length !== batch * imageSize || shifts.length !== batch) {
    throw new RangeError(
      `augmentation: batch holds ${images.length} values and ${shifts.length} shifts, expected ${batch}x${height}x${width}x${channels} = ${batch * imageSize} and ${batch}`,
    )
  }
  const out = new Float32Array(images.length)
  shifts.forEach(({ dy, dx, flip }, n) => shiftImage(images, out, n * imageSize, shape, dy, dx, flip))
  return out
}

/** out(y, x) = in(y + dy, x + dx) (mirrored first when flip), zero outside the image. */
function shiftImage(
  src: Float32Array,
  dst: Float32Array,
  base: number,
  shape: BatchShape,
  dy: number,
  dx: number,
  flip: boolean,
): void {
  const { height, width, channels } = shape
  const row = width * channels
  for (let y = 0; y < height; y++) {
    const sy = y + dy
    if (sy < 0 || sy >= height) continue
    const srcRow = base + sy * row
    const dstRow = base + y * row
    const x0 = Math.max(0, -dx)
    const x1 = Math.min(width, width - dx)
    if (!flip) {
      dst.set(src.subarray(srcRow + (x0 + dx) * channels, srcRow + (x1 + dx) * channels), dstRow + x0 * channels)
      continue
    }
    for (let x = x0; x < x1; x++) {
      const sx = width - 1 - (x + dx)
      for (let c = 0; c < channels; c++) dst[dstRow + x * channels + c] = src[srcRow + sx * channels + c]
    }
  }
}

/**
 * True when a class is tied to one side of the face (`AU12L`, `R14`, `AUL2`, `left_wink`): a mirror
 * image would carry the wrong label. Contempt is not: mirrored contempt is still contempt.
 */
export function isLateralised(code: string): boolean {
  return (
    /^(AU)?\s*[LR]\s*\d+[A-E]?$/i.test(code) ||
    /^AU\s*\d+[A-E]?\s*[LR]$/i.test(code) ||
    /(^|[\s_-])(left|right)($|[\s_-])/i.test(code)
  )
}

/** Whether horizontal flips may be used for this label space, as the run config asks. */
export function flipAllowed(
  options: Pick<Augmentation, 'horizontalFlip' | 'noFlipIfLateralised'>,
  classCodes: readonly string[],
): boolean {
  if (!options.horizontalFlip) return false
  return !(options.noFlipIfLateralised && classCodes.some(isLateralised))
}
