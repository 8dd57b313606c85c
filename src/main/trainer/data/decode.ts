import { access } from 'node:fs/promises'
import sharp from 'sharp'

// Turns one image file into the network's input: inputSize x inputSize x channels bytes (HWC, RGB
// or grey). The file is always a face crop: the aligned crop an import cut from a photo (the
// snapshot names the crop, never the photo: runs/build-snapshot.ts), or the image of a dataset that
// ships crops (FER2013, SFEW...). Resize mode is 'cover' (scale the short side to the size, centre-crop the
// long one): a square aligned crop is only scaled, and a non-square dataset crop keeps its
// proportions, which 'fill' would distort, losing only background at its ends.

export const RESIZE_MODE = 'cover'

export interface DecodeTarget {
  size: number
  channels: 1 | 3
}

/** An image of the snapshot that cannot be read: `imageId` and `path` say which one. */
export class ImageReadError extends Error {
  constructor(
    readonly imageId: number,
    readonly path: string,
    readonly missing: boolean,
    why: string,
  ) {
    super(
      missing
        ? `image ${imageId}: file ${path} is missing (moved, renamed or on a disk that is not mounted)`
        : `image ${imageId}: cannot decode ${path}: ${why}`,
    )
    this.name = 'ImageReadError'
  }
}

/** Decodes, auto-orients (EXIF), drops alpha, converts to RGB or grey and resizes one image. */
export async function decodeImage(imageId: number, path: string, target: DecodeTarget): Promise<Uint8Array> {
  try {
    await access(path)
  } catch {
    throw new ImageReadError(imageId, path, true, 'not found')
  }
  let pipeline = sharp(path, { failOn: 'error' }).autoOrient().removeAlpha()
  pipeline = target.channels === 1 ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb')
  let result: { data: Buffer; info: { width: number; height: number; channels: number } }
  try {
    result = await pipeline
      .resize(target.size, target.size, { fit: RESIZE_MODE, position: 'centre' })
      .raw()
      .toBuffer({ resolveWithObject: true })
  } catch (error) {
    throw new ImageReadError(imageId, path, false, error instanceof Error ? error.message : String(error))
  }
  const { data, info } = result
  if (info.channels !== target.channels || info.width !== target.size || info.height !== target.size) {
    throw new ImageReadError(
      imageId,
      path,
      false,
      `decoded to ${info.width}x${info.height}x${info.channels}, expected ${target.size}x${target.size}x${target.channels}`,
    )
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
