import { deriveSeed } from '../../../shared/random'
import type { Augmentation } from '../../../shared/run-config'
import { LANDMARK_VALUES } from '../../../shared/metrics/landmark-error'
import { drawShifts, flipAllowed, shiftImages, type BatchShape } from './augment'
import { shiftLandmarks } from './landmark-shift'
import type { TrainingSnapshot } from './snapshot'
import type { ImageSet } from './image-set'

// A batch as plain typed arrays, ready to become tensors: images as Float32 NHWC scaled to [0, 1]
// (pixel / 255), labels and mask over the union label space. [0, 1] rather than a per-channel
// standardisation: it needs no statistics of the training set, so a checkpoint predicts, resumes
// and initialises another run on other data with exactly the input it was trained on; the batch
// norm after the first convolution does the centring.

/** Stream id of the augmentation in deriveSeed (the data order uses another). */
export const AUGMENT_STREAM = 2

export interface Batch {
  rows: Int32Array
  /** rows x size x size x channels, values in [0, 1]. */
  images: Float32Array
  shape: BatchShape
  /** rows x N, 1 present / 0 absent (meaningful where mask is 1). */
  labels: Float32Array
  /** rows x N, 1 where the label is known. */
  mask: Float32Array
  /** The dataset of each row. */
  datasetIndex: Int32Array
  /** With a snapshot that has landmarks: rows x 136, fractions of the image as the batch shows it. */
  landmarks?: Float32Array
  /** One per row, 1 where the landmarks are known. */
  landmarksKnown?: Float32Array
}

/** The images of some rows as Float32 NHWC in [0, 1]. */
export function imagesAsFloats(set: ImageSet, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * set.imageBytes)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    if (row < 0 || row >= set.count) throw new RangeError(`image row ${row} is outside the ${set.count} decoded images`)
    const src = set.pixels.subarray(row * set.imageBytes, (row + 1) * set.imageBytes)
    const base = r * set.imageBytes
    for (let i = 0; i < set.imageBytes; i++) out[base + i] = src[i] / 255
  }
  return out
}

/** A batch of some rows, without augmentation (validation, prediction). */
export function plainBatch(set: ImageSet, snapshot: BatchSnapshot, rows: Int32Array): Batch {
  const n = snapshot.classes.length
  const labels = new Float32Array(rows.length * n)
  const mask = new Float32Array(rows.length * n)
  const datasetIndex = new Int32Array(rows.length)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    for (let j = 0; j < n; j++) {
      labels[r * n + j] = snapshot.labels[row * n + j]
      mask[r * n + j] = snapshot.mask[row * n + j]
    }
    datasetIndex[r] = snapshot.images[row].datasetIndex
  }
  const shape = { batch: rows.length, height: set.size, width: set.size, channels: set.channels }
  return { rows, images: imagesAsFloats(set, rows), shape, labels, mask, datasetIndex, ...landmarksOf(snapshot, rows) }
}

export type BatchSnapshot = Pick<TrainingSnapshot, 'labels' | 'mask' | 'classes' | 'images' | 'landmarks'>

/** The rows' landmarks and whether each is known, when the snapshot has landmarks. */
function landmarksOf(snapshot: BatchSnapshot, rows: Int32Array): Pick<Batch, 'landmarks' | 'landmarksKnown'> {
  if (!snapshot.landmarks) return {}
  const { points, known } = snapshot.landmarks
  const landmarks = new Float32Array(rows.length * LANDMARK_VALUES)
  const landmarksKnown = new Float32Array(rows.length)
  for (let r = 0; r < rows.length; r++) {
    landmarks.set(points.subarray(rows[r] * LANDMARK_VALUES, (rows[r] + 1) * LANDMARK_VALUES), r * LANDMARK_VALUES)
    landmarksKnown[r] = known[rows[r]]
  }
  return { landmarks, landmarksKnown }
}

export interface TrainingBatchOptions {
  augmentation: Augmentation
  /** The run's seed: with the step it fixes this batch's crops and flips. */
  seed: number
  step: number
}

/**
 * A training batch with the paper's pad + random crop (and flip where the label space allows it),
 * drawn from a seed derived from the run's seed and the step, so a resumed run replays it exactly;
 * landmarks move with their images.
 */
export function trainingBatch(
  set: ImageSet,
  snapshot: BatchSnapshot,
  rows: Int32Array,
  options: TrainingBatchOptions,
): Batch {
  const batch = plainBatch(set, snapshot, rows)
  const a = options.augmentation
  const flip = flipAllowed(
    a,
    snapshot.classes.map((c) => c.code),
  )
  if (!a.randomCrop && !flip) return batch
  const shifts = drawShifts(
    rows.length,
    { pad: a.pad, randomCrop: a.randomCrop, horizontalFlip: flip },
    deriveSeed(options.seed, AUGMENT_STREAM, options.step),
  )
  const images = shiftImages(batch.images, batch.shape, shifts)
  if (!batch.landmarks) return { ...batch, images }
  return { ...batch, images, landmarks: shiftLandmarks(batch.landmarks, batch.shape, shifts) }
}
