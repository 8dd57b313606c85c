import type { FaceBox } from '../../shared/faces'
import type { CropPlan } from './alignment'
import { decodeRaw, uprightPhoto, type ScaledPixels } from './photo-pixels'

// The part of a photo read in parts (photo-pixels.ts) that its faces need, decoded at full size
// once the detector has found them: the rectangle holding every face box grown on each side, from
// which the landmark net's cuts and the aligned crops are taken. libjpeg decodes the rows down to
// its bottom only, and libvips keeps only its columns.
//
// How much room: the pixels cost in proportion to their number, so the rectangle is kept tight.
// The aligned crops of the 24 faces in the test photos (default margin 0.15, faces tilted up to
// 44 degrees) reach at most 0.46 of a box's long side past it; each box is grown by 0.5 of its long
// side, in proportion for another margin. A crop that reaches past the rectangle anyway (a face
// tilted further, odd landmarks) has its own square read from the file (readCropSquare), with the
// same pixels, at the cost of one more partial decode.

/** How far each face box is grown on each side, in its long side, for crops with `margin`. */
export const roomAroundFaces = (margin: number): number => (0.5 * (1 + 2 * margin)) / 1.3

/** The rectangle (source pixels, whole, inside the photo) that holds every box grown by roomAroundFaces(margin). */
export function regionAroundFaces(
  photo: { width: number; height: number },
  boxes: FaceBox[],
  margin: number,
): { left: number; top: number; width: number; height: number } {
  const grow = roomAroundFaces(margin)
  let x0 = photo.width
  let y0 = photo.height
  let x1 = 0
  let y1 = 0
  for (const box of boxes) {
    const room = grow * Math.max(box.width, box.height)
    x0 = Math.min(x0, box.x - room)
    y0 = Math.min(y0, box.y - room)
    x1 = Math.max(x1, box.x + box.width + room)
    y1 = Math.max(y1, box.y + box.height + room)
  }
  const left = Math.max(0, Math.floor(x0))
  const top = Math.max(0, Math.floor(y0))
  const right = Math.min(photo.width, Math.ceil(x1))
  const bottom = Math.min(photo.height, Math.ceil(y1))
  if (right <= left || bottom <= top) throw new Error('no face box lies inside the photo')
  return { left, top, width: right - left, height: bottom - top }
}

/**
 * The photo's pixels around the faces (boxes in source pixels), at full size: a part of the
 * working copy of a photo read in parts. Throws a PhotoProblemError naming the file.
 */
export function readAroundFaces(
  path: string,
  photo: { width: number; height: number },
  boxes: FaceBox[],
  margin: number,
): Promise<ScaledPixels> {
  return readPart(path, photo, regionAroundFaces(photo, boxes, margin))
}

/**
 * The photo's pixels (full size) of a crop's square, as crops.ts rounds it, clipped to the photo:
 * for a crop that reaches past the part read around the faces.
 */
export function readCropSquare(path: string, photo: { width: number; height: number }, plan: CropPlan) {
  const left = Math.round(plan.region.left)
  const top = Math.round(plan.region.top)
  const side = Math.max(1, Math.round(plan.region.side))
  const x0 = Math.max(0, left)
  const y0 = Math.max(0, top)
  const x1 = Math.min(photo.width, left + side)
  const y1 = Math.min(photo.height, top + side)
  if (x1 <= x0 || y1 <= y0)
    throw new Error(
      `the face region (${left}, ${top}, side ${side}) lies outside the ${photo.width} x ${photo.height} photo`,
    )
  return readPart(path, photo, { left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
}

async function readPart(
  path: string,
  photo: { width: number; height: number },
  region: { left: number; top: number; width: number; height: number },
): Promise<ScaledPixels> {
  const pixels = await decodeRaw(path, uprightPhoto(path).extract(region))
  return {
    ...pixels,
    scaleX: 1,
    scaleY: 1,
    part: { left: region.left, top: region.top, fullWidth: photo.width, fullHeight: photo.height },
  }
}
