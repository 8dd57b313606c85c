import type { NetworkSpec } from '../../network'
import type { HeadView } from '../../data/snapshot'
import type { Batch } from '../../data/batch'
import type { BatchCounts } from '../../loss/batch-counts'

/*
 * Messages between a run's data-parallel coordinator (pool.ts) and its worker threads (worker.ts).
 * Weights and gradients do not travel in messages: they live in one SharedArrayBuffer. Its first
 * region holds the run's weights (trainable, then batch-norm statistics) as the coordinator last
 * wrote them; then each worker has a slot for its shard's gradients, the batch-norm statistics its
 * shard left, and one flag per trainable variable (1 if the shard gave it a gradient: an output
 * head with no rows in a shard gets none). A second SharedArrayBuffer carries the batch-norm
 * statistics the workers exchange mid-step (exchange.ts).
 */

/** What a worker needs to compute a run's loss: its network and the heads' label layout. */
export interface RunModel {
  spec: NetworkSpec
  views: HeadView[]
  /** Columns of the union label space (labels and mask are rows x classCount). */
  classCount: number
  /** Weight of the landmark loss when the run learns landmarks (loss/landmarks.ts); absent or 0: it does not. */
  landmarkWeight?: number
}

export type ToWorker =
  | { type: 'init'; model: RunModel; index: number; workers: number }
  /** The shared buffer, sized from the layout the workers reported, and the batch-norm statistics' (exchange.ts). */
  | { type: 'attach'; shared: SharedArrayBuffer; statistics: SharedArrayBuffer; capacity: number }
  /**
   * Gradients of the loss on `part`, from the weights of version `weights` in the shared region.
   * Workers 0..parties-1 take part in the step; this one's loss counts with weight `share` (its
   * images over the batch's); with more than one, batch norm uses the whole batch's statistics.
   * `counts` describes the whole batch, whose means the loss on `part` is a share of (loss/batch-counts.ts).
   */
  | {
      type: 'gradients'
      part: Batch
      counts: BatchCounts
      weightDecay: number
      weights: number
      parties: number
      share: number
    }
  /**
   * Evaluation-mode probabilities of `part`, and its summed loss when `withLoss`: its share of the
   * loss of the whole batch that `counts` describes (loss/batch-counts.ts).
   */
  | { type: 'probabilities'; part: Batch; withLoss: boolean; counts: BatchCounts; weights: number }

export interface Layout {
  trainable: [string, number][]
  state: [string, number][]
}

export type FromWorker =
  | { type: 'ready'; layout: Layout; backend: string }
  | { type: 'ok' }
  | { type: 'gradients'; lossByHead: Record<string, number> }
  | { type: 'probabilities'; probabilities: Float32Array; lossSum: number }
  | { type: 'error'; message: string; stack?: string }

const sum = (xs: [string, number][]): number => xs.reduce((s, [, n]) => s + n, 0)

/** Floats of the weights region: every trainable value, then every batch-norm statistic. */
export const weightsSize = (layout: Layout): number => sum(layout.trainable) + sum(layout.state)

/** Floats of one worker's slot: gradients, batch-norm statistics, one flag per trainable variable. */
export const slotSize = (layout: Layout): number => weightsSize(layout) + layout.trainable.length

/** Floats of the whole shared buffer for `workers` workers. */
export const sharedSize = (layout: Layout, workers: number): number => weightsSize(layout) + slotSize(layout) * workers

/** Offset of worker `index`'s slot in the shared buffer. */
export const slotOffset = (layout: Layout, index: number): number => weightsSize(layout) + slotSize(layout) * index

/** Doubles one batch-norm exchange may carry: two per channel of the widest layer (a layer's state is its moving mean and variance), and a row count. */
export const statisticsCapacity = (layout: Layout): number => 2 * Math.max(0, ...layout.state.map(([, n]) => n)) + 1
