import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../../shared/run-config'
import { headLoss } from '../loss/for-method'
import { buildNetwork, type Network } from '../network'
import type { HeadView } from '../data/snapshot'
import type { TrainStep } from '../optimiser/momentum-sgd'
import type { Batch } from '../data/batch'

// One training step of a run: the method's loss (the sum of each head's loss on its own rows, as
// lossForMethod defines it, kept per head for the progress chart) plus weight decay, then the SGD
// update of optimiser/momentum-sgd.ts.

/** The run's network: the configured trunk with one output layer per head view. */
export function networkForRun(config: Pick<RunConfig, 'network' | 'inputSize' | 'channels' | 'seed'>, views: readonly HeadView[]): Network {
  return buildNetwork({
    arch: config.network,
    inputSize: config.inputSize,
    channels: config.channels,
    heads: views.map((v) => ({ name: v.head, units: v.columns.length })),
    seed: config.seed,
  })
}

const HEAD_PREFIX = 'head/'
const headOf = (name: string): string | null => (name.startsWith(HEAD_PREFIX) ? name.slice(HEAD_PREFIX.length, name.lastIndexOf('/')) : null)

export interface StepResult {
  /** The data loss (without weight decay): the sum of the heads' losses. */
  loss: number
  /** Loss of each head that had rows in the batch. */
  lossByHead: Record<string, number>
}

/** Heads that learn nothing from this batch (multitask: another dataset's turn). */
function absentHeads(views: readonly HeadView[], datasetIndex: ArrayLike<number>): string[] {
  return views.filter((v) => v.datasetIndex !== null && !Array.from(datasetIndex).includes(v.datasetIndex)).map((v) => v.head)
}

/**
 * Classical multi-task training leaves the heads of the other datasets alone (no update, momentum
 * untouched), as frameworks do for variables without a gradient. createTrainStep insists on a
 * gradient for every variable, so absent heads get a zero one (their logits times 0 in the loss)
 * and their weights and momentum are put back after the step. Once momentum-sgd.ts skips variables
 * without a gradient, this can go.
 */
function holdStill(net: Network, trainStep: TrainStep, heads: string[]): { couple: (logits: Record<string, tf.Tensor2D>) => tf.Scalar; restore: () => void; release: () => void } {
  if (heads.length === 0) return { couple: () => tf.scalar(0), restore: () => {}, release: () => {} }
  const names = [...net.trainable.keys()].filter((name) => heads.includes(headOf(name) ?? ''))
  const weights = new Map(names.map((name) => [name, tf.keep(tf.clone(net.trainable.get(name)!))]))
  const momentum = trainStep.optimizerState()
  for (const [name, t] of momentum) {
    if (!weights.has(name)) {
      t.dispose()
      momentum.delete(name)
    }
  }
  const release = (): void => {
    for (const t of [...weights.values(), ...momentum.values()]) t.dispose()
  }
  return {
    couple: (logits) => tf.mul(tf.addN(heads.map((h) => tf.sum(logits[h]))), 0) as tf.Scalar,
    restore: () => {
      for (const [name, w] of weights) net.trainable.get(name)!.assign(w)
      trainStep.loadOptimizerState(momentum)
    },
    release,
  }
}

/**
 * Runs one step. Weight decay (L2, weightDecay / 2 * |w|^2, as TensorFlow's CIFAR ResNets and
 * PyTorch's SGD weight_decay) applies to convolution and dense kernels only, not to batch-norm
 * parameters or biases, and only to output layers that learn from this batch: in multitask an
 * absent dataset's head is left alone entirely.
 */
export function trainOnBatch(net: Network, trainStep: TrainStep, views: readonly HeadView[], batch: Batch, classCount: number, options: { learningRate: number; weightDecay: number }): StepResult {
  const kept = new Map<string, tf.Scalar>()
  const { batch: n, height, width, channels } = batch.shape
  const x = tf.tensor4d(batch.images, [n, height, width, channels])
  const labels = tf.tensor2d(batch.labels, [n, classCount])
  const mask = tf.tensor2d(batch.mask, [n, classCount])
  const lossBatch = { labels, mask, datasetIndex: batch.datasetIndex }
  const still = holdStill(net, trainStep, absentHeads(views, batch.datasetIndex))
  try {
    trainStep.step(
      x,
      (logits) => {
        let total = still.couple(logits)
        for (const view of views) {
          const loss = headLoss(view, logits[view.head], lossBatch)
          if (!loss) continue
          kept.set(view.head, tf.keep(tf.clone(loss)))
          total = total.add(loss)
        }
        if (options.weightDecay > 0) {
          const decayed = [...net.trainable].filter(([name]) => name.endsWith('/kernel') && (headOf(name) === null || kept.has(headOf(name)!)))
          const squares = decayed.map(([, v]) => tf.sum(tf.square(v)))
          if (squares.length > 0) total = total.add(tf.mul(tf.addN(squares), options.weightDecay / 2))
        }
        return total as tf.Scalar
      },
      options.learningRate,
    )
    still.restore()
    const lossByHead: Record<string, number> = {}
    let loss = 0
    for (const [head, t] of kept) {
      lossByHead[head] = t.dataSync()[0]
      loss += lossByHead[head]
    }
    return { loss, lossByHead }
  } finally {
    still.release()
    for (const t of kept.values()) t.dispose()
    x.dispose()
    labels.dispose()
    mask.dispose()
  }
}
