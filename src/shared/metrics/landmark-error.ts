// The 68 facial landmarks (iBUG 300-W layout, shared/faces.ts LANDMARKS_68) as a training target:
// how the layout mirrors, and the usual error of a landmark detector, the normalised mean error
// (NME): the mean distance between predicted and true points over the inter-ocular distance, the
// distance between the outer eye corners (points 36 and 45), as 300-W reports it.

export const LANDMARK_COUNT = 68
/** Coordinates per face: x0, y0, x1, y1, ... */
export const LANDMARK_VALUES = 2 * LANDMARK_COUNT

const OUTER_EYE_CORNERS = [36, 45] as const

// Pairs of points that trade places in a mirror image; the others (nose bridge, the centres of the
// nostrils and lips) lie on the face's midline and stay.
const MIRROR_PAIRS: [number, number][] = [
  ...Array.from({ length: 8 }, (_, i): [number, number] => [i, 16 - i]), // jaw
  [17, 26], [18, 25], [19, 24], [20, 23], [21, 22], // brows
  [31, 35], [32, 34], // nostrils
  [36, 45], [37, 44], [38, 43], [39, 42], [40, 47], [41, 46], // eyes
  [48, 54], [49, 53], [50, 52], [55, 59], [56, 58], // outer lips
  [60, 64], [61, 63], [65, 67], // inner lips
] // prettier-ignore

/** MIRRORED_68[i]: the point that takes point i's role once the image is flipped left to right. */
export const MIRRORED_68: readonly number[] = (() => {
  const order = Array.from({ length: LANDMARK_COUNT }, (_, i) => i)
  for (const [a, b] of MIRROR_PAIRS) {
    order[a] = b
    order[b] = a
  }
  return order
})()

/**
 * The mean NME over the faces whose landmarks are known (mask 1), or null when none is. Both
 * arrays hold faces x 136 values in the same units (e.g. fractions of the crop).
 */
export function landmarkNme(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
  mask: ArrayLike<number>,
): number | null {
  let sum = 0
  let faces = 0
  for (let r = 0; r < mask.length; r++) {
    if (!mask[r]) continue
    const at = r * LANDMARK_VALUES
    const [a, b] = OUTER_EYE_CORNERS
    const iod = Math.hypot(truth[at + 2 * a] - truth[at + 2 * b], truth[at + 2 * a + 1] - truth[at + 2 * b + 1])
    if (!(iod > 0)) continue
    let distance = 0
    for (let i = 0; i < LANDMARK_COUNT; i++)
      distance += Math.hypot(
        predicted[at + 2 * i] - truth[at + 2 * i],
        predicted[at + 2 * i + 1] - truth[at + 2 * i + 1],
      )
    sum += distance / LANDMARK_COUNT / iod
    faces++
  }
  return faces ? sum / faces : null
}
