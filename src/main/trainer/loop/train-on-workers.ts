import * as tf from '@tensorflow/tfjs'
import type { RunWorkers } from '../backend/parallel/pool'
import type { Batch } from '../data/batch'
import type { HeadView } from '../data/snapshot'
import type { Network } from '../network'
import type { TrainStep } from '../optimiser/momentum-sgd'
import { absentHeads, holdStill, type StepOptions, type StepResult } from './train-on-batch'

// One training step on data-parallel workers (synchronous SGD): each worker computes the run's loss
// and its gradients on a shard of the batch, from the same weights; here the shards' gradients and
// batch-norm statistics are combined, each weighted by its share of the batch's images, and the
// one optimiser applies the update. Each shard's loss divides its sums by the whole batch's counts
// (times its share: loss/batch-counts.ts; the pool counts them), so its rows count as in the whole
// batch's means whichever shard holds the labelled ones. Batch norm is synchronised (the workers
// exchange its sums layer by layer: parallel/exchange.ts), so every shard normalises with the whole
// batch's statistics and the step is trainOnBatch's whole-batch step (train-on-batch.ts), with the
// work on several cores.

/**
 * Into `sum`: the weighted sum of the shards' values at [offset, offset + sum.length) of their slots.
 * This runs in the trainer's thread between two steps while every worker waits, so it is one tight
 * loop per shard over views of the slots (no per-element closure or offset arithmetic).
 */
function addWeighted(sum: Float32Array, parts: { slot: Float32Array; weight: number }[], offset: number): void {
  parts.forEach(({ slot, weight }, i) => {
    const values = slot.subarray(offset, offset + sum.length)
    if (i === 0) for (let k = 0; k < sum.length; k++) sum[k] = weight * values[k]
    else for (let k = 0; k < sum.length; k++) sum[k] += weight * values[k]
  })
}

/** Per variable: sum of weight x gradient over the shards that had one; none when no shard had one. */
function combinedGradients(
  net: Network,
  workers: RunWorkers,
  shares: { weight: number }[],
): { grads: Map<string, tf.Tensor>; state: Map<string, Float32Array> } {
  const { layout } = workers
  const slots = shares.map(({ weight }, i) => ({ slot: workers.slot(i), weight }))
  const flagsAt = slots[0].slot.length - layout.trainable.length
  const grads = new Map<string, tf.Tensor>()
  let offset = 0
  layout.trainable.forEach(([name, n], v) => {
    const had = slots.filter(({ slot }) => slot[flagsAt + v] !== 0)
    if (had.length > 0) {
      const sum = new Float32Array(n)
      addWeighted(sum, had, offset)
      grads.set(name, tf.tensor(sum, net.trainable.get(name)!.shape))
    }
    offset += n
  })
  const state = new Map<string, Float32Array>()
  for (const [name, n] of layout.state) {
    const sum = new Float32Array(n)
    addWeighted(sum, slots, offset)
    state.set(name, sum)
    offset += n
  }
  return { grads, state }
}

/** Runs one step of `batch` on the workers; the update is applied to `net` here. */
export async function trainOnWorkers(
  workers: RunWorkers,
  net: Network,
  trainStep: TrainStep,
  views: readonly HeadView[],
  batch: Batch,
  options: Omit<StepOptions, 'imagesPerPass'>,
): Promise<StepResult> {
  const shares = await workers.gradients(net, batch, options.weightDecay)
  const { grads, state } = combinedGradients(net, workers, shares)
  const still = holdStill(net, trainStep, absentHeads(views, batch.datasetIndex))
  try {
    trainStep.apply(grads, options.learningRate)
    for (const [name, values] of state) {
      const v = net.state.get(name)!
      tf.tidy(() => v.assign(tf.tensor(values, v.shape)))
    }
    still.restore()
  } finally {
    still.release()
    tf.dispose([...grads.values()])
    workers.weightsChanged()
  }
  const lossByHead: Record<string, number> = {}
  for (const { weight, lossByHead: heads } of shares)
    for (const [head, loss] of Object.entries(heads)) lossByHead[head] = (lossByHead[head] ?? 0) + weight * loss
  return { loss: Object.values(lossByHead).reduce((a, b) => a + b, 0), lossByHead }
}
