import * as tf from '@tensorflow/tfjs'
import { LANDMARK_VALUES, landmarkNme } from '../../../shared/metrics/landmark-error'
import { plainBatch, type BatchSnapshot } from '../data/batch'
import type { ImageSet } from '../data/image-set'
import { LANDMARK_HEAD, landmarkPoints } from '../loss/landmarks'
import type { Network } from '../network'

// The landmark head's error on some rows (the validation split): the NME of 300-W, mean distance
// over the outer-eye-corner distance, on the images whose landmarks are known. Evaluation mode, in
// batches, in this thread (one small forward pass beside the classes' validation).

const BATCH = 256

/** Whether the network learns landmarks and the snapshot has them. */
export const learnsLandmarks = (net: Network, snapshot: BatchSnapshot): boolean =>
  Boolean(snapshot.landmarks) && net.spec.heads.some((h) => h.name === LANDMARK_HEAD)

/** The NME on `rows` (null when none of them has known landmarks). */
export async function landmarkError(
  net: Network,
  images: ImageSet,
  snapshot: BatchSnapshot,
  rows: Int32Array,
): Promise<number | null> {
  const predicted = new Float32Array(rows.length * LANDMARK_VALUES)
  const truth = new Float32Array(rows.length * LANDMARK_VALUES)
  const known = new Float32Array(rows.length)
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = plainBatch(images, snapshot, rows.subarray(start, start + BATCH))
    const { batch: n, height, width, channels } = batch.shape
    const points = tf.tidy(() => {
      const logits = net.apply(tf.tensor4d(batch.images, [n, height, width, channels]), false)
      return landmarkPoints(logits[LANDMARK_HEAD])
    })
    try {
      predicted.set((await points.data()) as Float32Array, start * LANDMARK_VALUES)
    } finally {
      points.dispose()
    }
    truth.set(batch.landmarks!, start * LANDMARK_VALUES)
    known.set(batch.landmarksKnown!, start)
  }
  return landmarkNme(predicted, truth, known)
}
