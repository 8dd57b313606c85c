import { deriveSeed } from '../../../shared/random'
import type { Augmentation } from '../../../shared/run-config'
import { augmentBatch, flipAllowed, type BatchShape } from './augment'
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
export function plainBatch(
  set: ImageSet,
  snapshot: Pick<TrainingSnapshot, 'labels' | 'mask' | 'classes' | 'images'>,
  rows: Int32Array,
): Batch {
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
  return { rows, images: imagesAsFloats(set, rows), shape, labels, mask, datasetIndex }
}

export interface TrainingBatchOptions {
  augmentation: Augmentation
  /** The run's seed: with the step it fixes this batch's crops and flips. */
  seed: number
  step: number
}

/**
 * A training batch with the paper's pad + random crop (and flip where the label space allows it),
 * drawn from a seed derived from the run's seed and the step, so a resumed run replays it exactly.
 */
export function trainingBatch(
  set: ImageSet,
  snapshot: Pick<TrainingSnapshot, 'labels' | 'mask' | 'classes' | 'images'>,
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
  const images = augmentBatch(
    batch.images,
    batch.shape,
    { pad: a.pad, randomCrop: a.randomCrop, horizontalFlip: flip },
    deriveSeed(options.seed, AUGMENT_STREAM, options.step),
  )
  return { ...batch, images }
}
