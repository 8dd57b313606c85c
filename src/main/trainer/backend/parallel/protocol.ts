import type { NetworkSpec } from '../../network'

/*
 * Messages between the data-parallel coordinator (pool.ts) and its worker threads (worker.ts).
 * Gradients do not travel in messages: each worker writes its gradient (and batch-norm statistics)
 * into its own slot of one SharedArrayBuffer, and every worker then averages all slots in the same
 * order, so all of them compute bit-identical updates and keep identical weights.
 */

/** A module exporting the loss: `(logits, targets) => tf.Scalar`, as a file URL or absolute path. */
export interface LossModule {
  module: string
  exportName: string
}

export interface ArrayPart {
  data: Float32Array
  shape: number[]
}

export type ToWorker =
  | { type: 'init'; spec: NetworkSpec; momentum: number; loss: LossModule; index: number; workers: number }
  /** The gradient buffer, sized from the layout the workers reported. */
  | { type: 'attach'; shared: SharedArrayBuffer }
  | { type: 'step'; x: ArrayPart; targets: Record<string, ArrayPart> }
  | { type: 'apply'; learningRate: number }
  | { type: 'getWeights' }
  | { type: 'setWeights'; trainable: [string, Float32Array][]; state: [string, Float32Array][] }

export interface Layout {
  trainable: [string, number][]
  state: [string, number][]
}

export type FromWorker =
  | { type: 'ready'; layout: Layout; backend: string }
  | { type: 'gradients'; loss: number; ms: number }
  | { type: 'applied' }
  | { type: 'weights'; trainable: [string, Float32Array][]; state: [string, Float32Array][] }
  | { type: 'ok' }
  | { type: 'error'; message: string; stack?: string }

/**
 * Floats one worker's slot holds: every trainable value (its gradient), every batch-norm statistic,
 * then one flag per trainable variable: 1 if that worker's shard gave it a gradient (an output head
 * whose rows all fell in another shard gets none).
 */
export function slotSize(layout: Layout): number {
  const sum = (xs: [string, number][]) => xs.reduce((s, [, n]) => s + n, 0)
  return sum(layout.trainable) + sum(layout.state) + layout.trainable.length
}
