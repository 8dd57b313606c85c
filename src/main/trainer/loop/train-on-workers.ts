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
// one optimiser applies the update. This is exactly trainOnBatch's training in passes
// (train-on-batch.ts), with the passes on several cores at once: each shard normalises with its own
// batch statistics (as PyTorch's DistributedDataParallel without SyncBatchNorm does), so the loss
// differs from one whole-batch pass by what per-shard batch norm changes.

/** Per variable: sum of weight x gradient over the shards that had one; none when no shard had one. */
function combinedGradients(
  net: Network,
  workers: RunWorkers,
  shares: { weight: number }[],
): { grads: Map<string, tf.Tensor>; state: Map<string, Float32Array> } {
  const { layout } = workers
  const slots = shares.map((_, i) => workers.slot(i))
  const flagsAt = slots[0].length - layout.trainable.length
  const grads = new Map<string, tf.Tensor>()
  let offset = 0
  layout.trainable.forEach(([name, n], v) => {
    const sum = new Float32Array(n)
    let any = false
    shares.forEach(({ weight }, i) => {
      if (slots[i][flagsAt + v] === 0) return
      any = true
      const slot = slots[i]
      for (let k = 0; k < n; k++) sum[k] += weight * slot[offset + k]
    })
    if (any) grads.set(name, tf.tensor(sum, net.trainable.get(name)!.shape))
    offset += n
  })
  const state = new Map<string, Float32Array>()
  for (const [name, n] of layout.state) {
    const sum = new Float32Array(n)
    shares.forEach(({ weight }, i) => {
      for (let k = 0; k < n; k++) sum[k] += weight * slots[i][offset + k]
    })
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
