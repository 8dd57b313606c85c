import * as tf from '@tensorflow/tfjs'
import { LANDMARK_VALUES } from '../../../shared/metrics/landmark-error'

// The landmark task added to a run (the paper's future work): one more output head over the 68
// points' coordinates on the same trunk, trained like the selective loss treats labels: an image
// whose landmarks nobody gave adds nothing, not even a gradient. The head's outputs are the points'
// offsets from the crop's centre; a fresh head starts at the training faces' mean shape
// (loop/landmark-start.ts).

export const LANDMARK_HEAD = 'landmarks'
export const LANDMARK_UNITS = LANDMARK_VALUES
const CENTRE = 0.5

/** The points (fractions of the crop) the head's outputs stand for. */
export const landmarkPoints = (outputs: tf.Tensor2D): tf.Tensor2D => tf.add(outputs, CENTRE)

/** The head's outputs that stand for these points (the inverse of landmarkPoints). */
export const outputsForPoints = <T extends tf.Tensor>(points: T): T => tf.sub(points, CENTRE)

/**
 * Mean over the rows whose landmarks are known (known = 1) of the mean squared error of their 136
 * coordinates (fractions of the crop); 0, with a zero gradient, when the batch has none. `knownRows`,
 * when given, divides the sum instead of the number of known rows (these rows are part of a batch:
 * loss/batch-counts.ts).
 */
export function maskedLandmarkLoss(
  outputs: tf.Tensor2D,
  targets: tf.Tensor2D,
  known: tf.Tensor1D,
  knownRows?: number,
): tf.Scalar {
  if (outputs.shape[1] !== LANDMARK_UNITS || targets.shape[1] !== LANDMARK_UNITS)
    throw new Error(
      `landmark loss: the head gives ${outputs.shape[1]} values and the targets ${targets.shape[1]}, expected ${LANDMARK_UNITS}`,
    )
  if (targets.shape[0] !== outputs.shape[0] || known.shape[0] !== outputs.shape[0])
    throw new Error(
      `landmark loss: ${outputs.shape[0]} predicted rows, ${targets.shape[0]} target rows, ${known.shape[0]} known flags`,
    )
  return tf.tidy(() => {
    const perRow = tf.mean(tf.square(tf.sub(landmarkPoints(outputs), targets)), 1)
    const denominator = knownRows === undefined ? tf.maximum(tf.sum(known), 1) : knownRows
    return tf.div(tf.sum(tf.mul(perRow, known)), denominator) as tf.Scalar
  })
}
