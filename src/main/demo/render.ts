import sharp from 'sharp'
import { mulberry32 } from '../../shared/random'
import type { FaceParams } from './face-params'
import { faceSvg } from './face-svg'

// SVG -> RGB pixels (librsvg inside sharp, on libuv's thread pool) -> seeded noise -> PNG.
// The noise is added here rather than in the SVG so that it is exact and the same on every run.

export interface RenderOptions {
  /** Width and height in pixels (64 by default; training reads 32 x 32). */
  size?: number
}

/** The face's pixels as RGB, row-major, `size * size * 3` bytes. */
export async function renderFaceRgb(face: FaceParams, opts: RenderOptions = {}): Promise<Buffer> {
  const size = opts.size ?? 64
  const rgb = await sharp(Buffer.from(faceSvg(face, size)))
    .removeAlpha()
    .raw()
    .toBuffer()
  addNoise(rgb, face.nuisance.noise, face.nuisance.noiseSeed)
  return rgb
}

export async function renderFacePng(face: FaceParams, opts: RenderOptions = {}): Promise<Buffer> {
  const size = opts.size ?? 64
  const rgb = await renderFaceRgb(face, opts)
  return sharp(rgb, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer()
}

/** Gaussian-like noise (sum of three uniforms) of standard deviation `sigma`, from its own seed. */
function addNoise(rgb: Buffer, sigma: number, seed: number): void {
  if (sigma <= 0) return
  const random = mulberry32(seed)
  const k = sigma * 2 // three uniforms of [-0.5, 0.5] sum to a standard deviation of 0.5
  for (let i = 0; i < rgb.length; i += 3) {
    // Mostly luminance noise with a little colour, as a camera sensor gives.
    const grey = (random() + random() + random() - 1.5) * k
    for (let c = 0; c < 3; c++) {
      const v = rgb[i + c] + grey + (random() - 0.5) * sigma * 0.6
      rgb[i + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v)
    }
  }
}

/** Runs `work` over the items with at most `limit` in flight; results keep the items' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}
