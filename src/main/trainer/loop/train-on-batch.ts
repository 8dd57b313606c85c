import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../../shared/run-config'
import { batchCounts, headDenominators, partDenominator, type BatchCounts } from '../loss/batch-counts'
import { headLoss } from '../loss/for-method'
import { LANDMARK_HEAD, LANDMARK_UNITS, maskedLandmarkLoss } from '../loss/landmarks'
import { buildNetwork, type Network } from '../network'
import type { HeadView } from '../data/snapshot'
import type { TrainStep } from '../optimiser/momentum-sgd'
import type { Batch } from '../data/batch'
import { batchRows, passRanges } from './batch-split'

// One training step of a run: the method's loss (the sum of each head's loss on its own rows, as
// lossForMethod defines it, kept per head for the progress chart) plus weight decay, then the SGD
// update of optimiser/momentum-sgd.ts.

/** The run's network: the configured trunk with one output layer per head view, and the landmark head when it learns them. */
export function networkForRun(
  config: Pick<RunConfig, 'network' | 'inputSize' | 'channels' | 'seed'> & Partial<Pick<RunConfig, 'landmarks'>>,
  views: readonly HeadView[],
): Network {
  const heads = views.map((v) => ({ name: v.head, units: v.columns.length }))
  if (config.landmarks) heads.push({ name: LANDMARK_HEAD, units: LANDMARK_UNITS })
  return buildNetwork({
    arch: config.network,
    inputSize: config.inputSize,
    channels: config.channels,
    heads,
    seed: config.seed,
  })
}

/** The landmark loss's weight in a run's loss: 0 when the run does not learn landmarks. */
export const landmarkWeightOf = (run: { config: Pick<RunConfig, 'landmarks' | 'landmarkWeight'> }): number =>
  run.config.landmarks ? run.config.landmarkWeight : 0

const HEAD_PREFIX = 'head/'
const headOf = (name: string): string | null =>
  name.startsWith(HEAD_PREFIX) ? name.slice(HEAD_PREFIX.length, name.lastIndexOf('/')) : null

export interface StepResult {
  /** The data loss (without weight decay): the sum of the heads' losses. */
  loss: number
  /** Loss of each head that had rows in the batch. */
  lossByHead: Record<string, number>
}

/** Heads that learn nothing from this batch (multitask: another dataset's turn). */
export function absentHeads(views: readonly HeadView[], datasetIndex: ArrayLike<number>): string[] {
  return views
    .filter((v) => v.datasetIndex !== null && !Array.from(datasetIndex).includes(v.datasetIndex))
    .map((v) => v.head)
}

/**
 * Classical multi-task training leaves the heads of the other datasets alone (no update, momentum
 * untouched), as frameworks do for variables without a gradient. createTrainStep insists on a
 * gradient for every variable, so absent heads get a zero one (their logits times 0 in the loss)
 * and their weights and momentum are put back after the step. Once momentum-sgd.ts skips variables
 * without a gradient, this can go.
 */
export function holdStill(
  net: Network,
  trainStep: TrainStep,
  heads: string[],
): { couple: (logits: Record<string, tf.Tensor2D>) => tf.Scalar; restore: () => void; release: () => void } {
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

export interface StepOptions {
  learningRate: number
  weightDecay: number
  /** Weight of the landmark loss (0 or absent: the run learns no landmarks). */
  landmarkWeight?: number
  /** Images per forward-backward pass (batch-split.ts); the whole batch in one pass when absent or larger. */
  imagesPerPass?: number
}

/**
 * The landmark term of a step on some rows: weight x the masked loss (its mean over the known rows of
 * the whole batch when `counts` describes it), kept as the 'landmarks' head's loss when a row is known.
 */
function landmarkTerm(
  part: Batch,
  weight: number,
  kept: Map<string, tf.Scalar>,
  counts?: BatchCounts,
): { termOf: (logits: Record<string, tf.Tensor2D>) => tf.Scalar | null; dispose: () => void } {
  if (!(weight > 0) || !part.landmarks || !part.landmarksKnown) return { termOf: () => null, dispose: () => {} }
  const targets = tf.tensor2d(part.landmarks, [part.shape.batch, LANDMARK_UNITS])
  const known = tf.tensor1d(part.landmarksKnown)
  const anyKnown = part.landmarksKnown.some((k) => k > 0)
  const knownRows = counts && partDenominator(counts.landmarkRows, part.shape.batch, counts.images)
  const termOf = (logits: Record<string, tf.Tensor2D>): tf.Scalar => {
    const outputs = logits[LANDMARK_HEAD]
    if (!outputs) throw new Error(`loss: the run learns landmarks but the network has no '${LANDMARK_HEAD}' head`)
    const term = tf.mul(maskedLandmarkLoss(outputs, targets, known, knownRows), weight) as tf.Scalar
    if (anyKnown) kept.set(LANDMARK_HEAD, tf.keep(tf.clone(term)))
    return term
  }
  return { termOf, dispose: () => tf.dispose([targets, known]) }
}

/** weightDecay / 2 x the squared kernels of the trunk and of the output heads that `learns`; null when none or no decay. */
function decayTerm(net: Network, weightDecay: number, learns: (head: string) => boolean): tf.Scalar | null {
  if (!(weightDecay > 0)) return null
  const decayed = [...net.trainable].filter(
    ([name]) => name.endsWith('/kernel') && (headOf(name) === null || learns(headOf(name)!)),
  )
  const squares = decayed.map(([, v]) => tf.sum(tf.square(v)))
  return squares.length > 0 ? (tf.mul(tf.addN(squares), weightDecay / 2) as tf.Scalar) : null
}

/** Whether the batch `counts` describes trains a head (its loss has rows): its kernel then decays in every part. */
const learnsFromBatch = (counts: BatchCounts, landmarkWeight: number) => (head: string) =>
  head === LANDMARK_HEAD ? landmarkWeight > 0 && counts.landmarkRows > 0 : (counts.heads[head]?.rows ?? 0) > 0

/**
 * The step's loss on some rows of the batch: each head's loss (kept per head), the landmark term,
 * plus weight decay. `counts`, when the rows are a part of a bigger batch (a data-parallel shard, a
 * pass), describes that whole batch: every mean then weighs its rows as the whole batch's does once
 * the part's gradients count with its share of the images (loss/batch-counts.ts), and the heads the
 * whole batch trains decay in every part.
 */
export function lossOfRows(
  net: Network,
  views: readonly HeadView[],
  part: Batch,
  classCount: number,
  weights: { weightDecay: number; landmarkWeight?: number },
  still: { couple: (logits: Record<string, tf.Tensor2D>) => tf.Scalar },
  kept: Map<string, tf.Scalar>,
  counts?: BatchCounts,
): { lossOf: (logits: Record<string, tf.Tensor2D>) => tf.Scalar; dispose: () => void } {
  const n = part.shape.batch
  const tensors = { labels: tf.tensor2d(part.labels, [n, classCount]), mask: tf.tensor2d(part.mask, [n, classCount]) }
  const landmarks = landmarkTerm(part, weights.landmarkWeight ?? 0, kept, counts)
  const lossOf = (logits: Record<string, tf.Tensor2D>): tf.Scalar => {
    let total = still.couple(logits)
    for (const view of views) {
      const denominators = counts && headDenominators(counts, view.head, n)
      const loss = headLoss(view, logits[view.head], { ...tensors, datasetIndex: part.datasetIndex }, denominators)
      if (!loss) continue
      kept.set(view.head, tf.keep(tf.clone(loss)))
      total = total.add(loss)
    }
    const term = landmarks.termOf(logits)
    if (term) total = total.add(term)
    const learns = counts ? learnsFromBatch(counts, weights.landmarkWeight ?? 0) : (head: string) => kept.has(head)
    const decay = decayTerm(net, weights.weightDecay, learns)
    if (decay) total = total.add(decay)
    return total as tf.Scalar
  }
  return {
    lossOf,
    dispose: () => {
      tf.dispose([tensors.labels, tensors.mask])
      landmarks.dispose()
    },
  }
}

const imagesOf = (part: Batch): tf.Tensor4D => {
  const { batch: n, height, width, channels } = part.shape
  return tf.tensor4d(part.images, [n, height, width, channels])
}

/** Reads the kept per-head losses (adding `weight` times each into `into`) and frees them. */
async function readLosses(kept: Map<string, tf.Scalar>, into: Record<string, number>, weight: number): Promise<void> {
  for (const [head, t] of kept) into[head] = (into[head] ?? 0) + weight * (await t.data())[0]
  tf.dispose([...kept.values()])
  kept.clear()
}

/**
 * Runs one step. Weight decay (L2, weightDecay / 2 * |w|^2, as TensorFlow's CIFAR ResNets and
 * PyTorch's SGD weight_decay) applies to convolution and dense kernels only, not to batch-norm
 * parameters or biases, and only to output layers that learn from this batch: in multitask an
 * absent dataset's head is left alone entirely. A batch too large for the GPU's buffers is
 * trained in passes (batch-split.ts).
 */
export async function trainOnBatch(
  net: Network,
  trainStep: TrainStep,
  views: readonly HeadView[],
  batch: Batch,
  classCount: number,
  options: StepOptions,
): Promise<StepResult> {
  const n = batch.shape.batch
  const passes = passRanges(n, Math.min(n, options.imagesPerPass ?? n))
  const kept = new Map<string, tf.Scalar>()
  const lossByHead: Record<string, number> = {}
  const still = holdStill(net, trainStep, absentHeads(views, batch.datasetIndex))
  try {
    if (passes.length === 1) {
      const x = imagesOf(batch)
      const rows = lossOfRows(net, views, batch, classCount, options, still, kept)
      try {
        await trainStep.step(x, rows.lossOf, options.learningRate)
      } finally {
        tf.dispose(x)
        rows.dispose()
      }
    } else {
      const counts = batchCounts(views, batch, classCount)
      await trainInPasses(
        net,
        trainStep,
        batch,
        passes,
        (part) => lossOfRows(net, views, part, classCount, options, still, kept, counts),
        kept,
        lossByHead,
        options.learningRate,
      )
    }
    still.restore()
    if (passes.length === 1) await readLosses(kept, lossByHead, 1)
    return { loss: Object.values(lossByHead).reduce((a, b) => a + b, 0), lossByHead }
  } finally {
    still.release()
    tf.dispose([...kept.values()])
  }
}

/**
 * One SGD update from several passes over parts of the batch: each pass's gradients and
 * batch-norm statistics weighted by its share of the images, every pass starting from the same
 * moving statistics.
 */
async function trainInPasses(
  net: Network,
  trainStep: TrainStep,
  batch: Batch,
  passes: [number, number][],
  lossFor: (part: Batch) => ReturnType<typeof lossOfRows>,
  kept: Map<string, tf.Scalar>,
  lossByHead: Record<string, number>,
  learningRate: number,
): Promise<void> {
  const n = batch.shape.batch
  const statsBefore = new Map([...net.state].map(([name, v]) => [name, tf.clone(v)]))
  const statsAfter = new Map<string, tf.Tensor>()
  const grads = new Map<string, tf.Tensor>()
  const addWeighted = (into: Map<string, tf.Tensor>, name: string, t: tf.Tensor, weight: number): void => {
    const previous = into.get(name)
    into.set(
      name,
      tf.tidy(() => (previous ? tf.add(previous, tf.mul(t, weight)) : tf.mul(t, weight))),
    )
    previous?.dispose()
  }
  try {
    for (const [start, end] of passes) {
      const part = batchRows(batch, start, end)
      const weight = (end - start) / n
      for (const [name, v] of net.state) v.assign(statsBefore.get(name)!)
      const x = imagesOf(part)
      const rows = lossFor(part)
      try {
        const pass = await trainStep.gradients(x, rows.lossOf)
        for (const [name, g] of pass.grads) {
          addWeighted(grads, name, g, weight)
          g.dispose()
        }
      } finally {
        tf.dispose(x)
        rows.dispose()
      }
      for (const [name, v] of net.state) addWeighted(statsAfter, name, v, weight)
      await readLosses(kept, lossByHead, weight)
    }
    for (const [name, v] of net.state) v.assign(statsAfter.get(name)!)
    trainStep.apply(grads, learningRate)
  } finally {
    tf.dispose([...statsBefore.values(), ...statsAfter.values(), ...grads.values()])
  }
}
