import { LANDMARK_COUNT, LANDMARK_VALUES, MIRRORED_68 } from '../../../shared/metrics/landmark-error'
import type { BatchShape, ImageShift } from './augment'

// The landmarks of an augmented batch, moved as its images are (augment.ts): a crop shifted by
// (dx, dy) pixels moves every point by (-dx, -dy), and a mirrored image mirrors x (x -> 1 - x, in
// fractions of the crop) and swaps the left and right points of the 68-point layout (the image-left
// eye's outer corner, 36, becomes the image-right eye's outer corner, 45), so that each index keeps
// naming the same part of the face as the network sees it.

/** rows x 136 landmarks (fractions of the crop) after each row's shift, into a new array. */
export function shiftLandmarks(points: Float32Array, shape: BatchShape, shifts: readonly ImageShift[]): Float32Array {
  if (points.length !== shifts.length * LANDMARK_VALUES)
    throw new RangeError(
      `landmarks: ${points.length} values for ${shifts.length} images, expected ${LANDMARK_VALUES} each`,
    )
  const out = new Float32Array(points.length)
  shifts.forEach(({ dx, dy, flip }, r) => {
    const at = r * LANDMARK_VALUES
    for (let i = 0; i < LANDMARK_COUNT; i++) {
      const from = at + 2 * (flip ? MIRRORED_68[i] : i)
      const x = flip ? 1 - points[from] : points[from]
      out[at + 2 * i] = x - dx / shape.width
      out[at + 2 * i + 1] = points[from + 1] - dy / shape.height
    }
  })
  return out
}
