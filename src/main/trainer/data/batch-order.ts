import { deriveSeed, mulberry32, shuffleInPlace } from '../../../shared/random'
import type { TrainingMethod } from '../../../shared/run-config'
import { rowsOf, type HeadView, type TrainingSnapshot } from './snapshot'

// Which training images each step sees, as a pure function of the step (and the seed), so a
// resumed run continues exactly where it stopped with nothing to restore but the step number.
//
// Images are drawn from "pools" of training rows, each an endless stream of epochs, every epoch a
// fresh seeded shuffle of the pool; a batch takes the next batchSize images of its pool's stream
// (a batch may straddle two epochs, so every batch is full).
//   sjmt      one pool: the training rows of every dataset, mixed in each batch (paper Fig. 1c);
//   multitask one pool per dataset, batches taking turns round robin (classical multi-task, Fig. 1b);
//   single    one pool: the training rows of the one dataset.

/** Stream id of the data order in deriveSeed (the augmentation uses another). */
export const ORDER_STREAM = 1

export interface BatchOrder {
  /** Total training images over all pools (one epoch = this many images seen). */
  readonly trainImages: number
  /** Datasets whose turn it is, round robin (multitask), or [null] for mixed batches. */
  readonly poolDatasets: readonly (number | null)[]
  /** Snapshot rows of the training batch of a step (0-based). */
  rowsAt(step: number): Int32Array
  /** Whole passes over the training images completed before this step. */
  epochAt(step: number): number
}

export interface BatchOrderOptions {
  method: TrainingMethod
  batchSize: number
  seed: number
}

/** The training pools of a run: one per head for multitask, one otherwise. Empty pools are left out. */
export function trainingPools(
  snapshot: Pick<TrainingSnapshot, 'images'>,
  views: readonly HeadView[],
  method: TrainingMethod,
): { datasetIndex: number | null; rows: Int32Array }[] {
  const pools =
    method === 'multitask'
      ? views.map((v) => ({
          datasetIndex: v.datasetIndex,
          rows: rowsOf(snapshot, 'train', v.datasetIndex ?? undefined),
        }))
      : [
          {
            datasetIndex: views[0]?.datasetIndex ?? null,
            rows: rowsOf(snapshot, 'train', views[0]?.datasetIndex ?? undefined),
          },
        ]
  return pools.filter((p) => p.rows.length > 0)
}

export function batchOrder(
  snapshot: Pick<TrainingSnapshot, 'images' | 'datasets'>,
  views: readonly HeadView[],
  options: BatchOrderOptions,
): BatchOrder {
  const pools = trainingPools(snapshot, views, options.method)
  if (pools.length === 0) {
    const which =
      options.method === 'single' ? `dataset '${snapshot.datasets[views[0]?.datasetIndex ?? 0]?.name}'` : 'the snapshot'
    throw new Error(`${which} has no images in the train split: assign some images to train before training`)
  }
  const { batchSize, seed } = options
  const trainImages = pools.reduce((a, p) => a + p.rows.length, 0)
  // Only the current and next epoch of a pool are ever needed; keep the last few permutations.
  const permutations = pools.map(() => new Map<number, Int32Array>())

  const permutation = (pool: number, epoch: number): Int32Array => {
    const cache = permutations[pool]
    let order = cache.get(epoch)
    if (!order) {
      order = shuffleInPlace(mulberry32(deriveSeed(seed, ORDER_STREAM, pool, epoch)), Int32Array.from(pools[pool].rows))
      cache.set(epoch, order)
      if (cache.size > 3) cache.delete(cache.keys().next().value as number)
    }
    return order
  }

  return {
    trainImages,
    poolDatasets: pools.map((p) => p.datasetIndex),
    rowsAt(step) {
      if (!Number.isInteger(step) || step < 0)
        throw new RangeError(`batch order: step must be a whole number >= 0 (got ${step})`)
      const pool = step % pools.length
      const turn = Math.floor(step / pools.length)
      const n = pools[pool].rows.length
      const out = new Int32Array(batchSize)
      for (let i = 0; i < batchSize; i++) {
        const position = turn * batchSize + i
        out[i] = permutation(pool, Math.floor(position / n))[position % n]
      }
      return out
    },
    epochAt(step) {
      return Math.floor((step * batchSize) / trainImages)
    },
  }
}
