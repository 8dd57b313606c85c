import { describe, expect, it } from 'vitest'
import { LANDMARK_VALUES, MIRRORED_68 } from '../../../shared/metrics/landmark-error'
import { shiftImages, type BatchShape } from './augment'
import { shiftLandmarks } from './landmark-shift'

// A 16 x 16 image with one bright pixel at each of a few landmarks: after any shift and flip, the
// moved landmarks must still sit on bright pixels, and point i must name what point i named before
// (its mirror partner's place when flipped).

const SIZE = 16
const shape: BatchShape = { batch: 1, height: SIZE, width: SIZE, channels: 1 }

/** Landmarks at pixel centres: point i at ((i % 12) + 2.5, floor(i / 12) + 4.5) / 16. */
function landmarks(): Float32Array {
  const out = new Float32Array(LANDMARK_VALUES)
  for (let i = 0; i < 68; i++) {
    out[2 * i] = ((i % 12) + 2.5) / SIZE
    out[2 * i + 1] = (Math.floor(i / 12) + 4.5) / SIZE
  }
  return out
}

function imageWithDotsAt(points: Float32Array, which: number[]): Float32Array {
  const image = new Float32Array(SIZE * SIZE)
  for (const i of which) image[Math.floor(points[2 * i + 1] * SIZE) * SIZE + Math.floor(points[2 * i] * SIZE)] = 1
  return image
}

const pixelAt = (image: Float32Array, x: number, y: number): number =>
  image[Math.floor(y * SIZE) * SIZE + Math.floor(x * SIZE)]

describe('landmarks move with their augmented image', () => {
  for (const shift of [
    { dx: 2, dy: -1, flip: false },
    { dx: 0, dy: 0, flip: true },
    { dx: -2, dy: 2, flip: true },
  ]) {
    it(`shift ${shift.dx}, ${shift.dy}${shift.flip ? ', mirrored' : ''}: each point stays on its own dot`, () => {
      const points = landmarks()
      for (const dot of [0, 16, 36, 45, 48, 30]) {
        const image = shiftImages(imageWithDotsAt(points, [dot]), shape, [shift])
        const moved = shiftLandmarks(points, shape, [shift])
        const now = shift.flip ? MIRRORED_68[dot] : dot
        expect(pixelAt(image, moved[2 * now], moved[2 * now + 1]), `point ${now} on the dot of point ${dot}`).toBe(1)
      }
    })
  }

  it('a flip mirrors x and swaps left and right points: the image-left eye corner becomes the image-right one', () => {
    const points = landmarks()
    const [flipped] = [shiftLandmarks(points, shape, [{ dx: 0, dy: 0, flip: true }])]
    expect(flipped[2 * 45]).toBeCloseTo(1 - points[2 * 36], 6)
    expect(flipped[2 * 45 + 1]).toBeCloseTo(points[2 * 36 + 1], 6)
    expect(flipped[2 * 8]).toBeCloseTo(1 - points[2 * 8], 6) // the chin is its own partner
    // Two flips give the landmarks back.
    const back = shiftLandmarks(flipped, shape, [{ dx: 0, dy: 0, flip: true }])
    back.forEach((v, k) => expect(v).toBeCloseTo(points[k], 6))
  })

  it('the mirror pairs are a proper swap: every point is its partner’s partner', () => {
    MIRRORED_68.forEach((j, i) => expect(MIRRORED_68[j]).toBe(i))
    expect(MIRRORED_68.filter((j, i) => j === i)).toEqual([8, 27, 28, 29, 30, 33, 51, 57, 62, 66])
  })
})
