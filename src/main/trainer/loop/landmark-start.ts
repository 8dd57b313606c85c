import * as tf from '@tensorflow/tfjs'
import { LANDMARK_VALUES } from '../../../shared/metrics/landmark-error'
import { rowsOf, type TrainingSnapshot } from '../data/snapshot'
import { LANDMARK_HEAD, outputsForPoints } from '../loss/landmarks'
import type { Network } from '../network'

// Where a fresh landmark head starts. With the random (Glorot) start of the class heads, its 136
// outputs were far from any face (the first weighted landmark loss was 5 to 10, 12 to 25 times the
// selective loss) and their large first gradients, at the learning rates the classes need, pushed
// the shared trunk to a point where every image gave about the same features: emotion at chance
// and no AU predicted (docs/experiments.md). A regression head that starts at zero weights, with
// its bias at the training faces' mean shape, predicts that mean shape for every face and sends
// the trunk no gradient at all on its first step; the trunk then learns landmarks only as fast as
// the head's weights grow, from the loss that remains around the mean shape.

/** The mean of the known landmarks of the training split (136 values, fractions of the crop), or null when none is known. */
export function trainingMeanShape(snapshot: Pick<TrainingSnapshot, 'images' | 'landmarks'>): Float32Array | null {
  if (!snapshot.landmarks) return null
  const { points, known } = snapshot.landmarks
  const sum = new Float64Array(LANDMARK_VALUES)
  let count = 0
  for (const row of rowsOf(snapshot, 'train')) {
    if (!known[row]) continue
    for (let k = 0; k < LANDMARK_VALUES; k++) sum[k] += points[row * LANDMARK_VALUES + k]
    count++
  }
  return count === 0 ? null : Float32Array.from(sum, (s) => s / count)
}

/**
 * Starts the network's landmark head at `meanShape`: kernel 0, bias the mean shape as the head's
 * outputs (offsets from the crop's centre, loss/landmarks.ts). No-op for a network without one.
 */
export function startLandmarkHead(net: Network, meanShape: Float32Array): void {
  const kernel = net.trainable.get(`head/${LANDMARK_HEAD}/kernel`)
  const bias = net.trainable.get(`head/${LANDMARK_HEAD}/bias`)
  if (!kernel || !bias) return
  if (meanShape.length !== bias.size)
    throw new Error(`landmark head start: ${meanShape.length} values for a head of ${bias.size} outputs`)
  tf.tidy(() => {
    kernel.assign(tf.zerosLike(kernel))
    bias.assign(outputsForPoints(tf.tensor1d(meanShape)))
  })
}
