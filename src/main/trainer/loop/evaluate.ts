import * as tf from '@tensorflow/tfjs'
import { evaluate, type Evaluation } from '../../../shared/metrics/evaluate'
import type { BatchCounts } from '../loss/batch-counts'
import { lossForMethod } from '../loss/for-method'
import { headProbabilities, toUnionLayout } from '../loss/probabilities'
import type { Network } from '../network'
import { sliceLabels, type HeadView, type TrainingSnapshot } from '../data/snapshot'
import { plainBatch, type Batch } from '../data/batch'
import type { ImageSet } from '../data/image-set'
import { landmarkError, learnsLandmarks } from './landmark-eval'

// Evaluation mode (batch-norm moving statistics, no augmentation): probabilities over the union
// label space for any rows, and the validation summary the metrics chart and model selection use.

export type EvalSnapshot = Pick<TrainingSnapshot, 'labels' | 'mask' | 'classes' | 'images' | 'landmarks'>

/** Evaluates rows in batches of this many images (bounded memory whatever the split size). */
export const EVAL_BATCH = 256

/** Something that computes a batch's probabilities elsewhere: a run's data-parallel workers (backend/parallel/pool.ts). */
export interface BatchPredictor {
  probabilities(net: Network, batch: Batch, classCount: number, loss?: { sum: number }): Promise<Float32Array>
}

/** Probabilities of one plain batch on `predictor` when there is one, else in this thread. */
export function predictBatch(
  net: Network,
  views: readonly HeadView[],
  batch: Batch,
  classCount: number,
  predictor: BatchPredictor | null,
  loss?: { sum: number },
): Promise<Float32Array> {
  return predictor
    ? predictor.probabilities(net, batch, classCount, loss)
    : batchProbabilities(net, views, batch, classCount, loss)
}

/**
 * Probabilities of one plain batch, rows x N over the union label space (NaN where no head predicts).
 * Adds the batch's loss times its rows into `loss`; with `counts`, the batch is a shard of the batch
 * they describe and its means divide by that batch's counts, so the shards' sums add up to its own.
 */
export async function batchProbabilities(
  net: Network,
  views: readonly HeadView[],
  batch: Batch,
  classCount: number,
  loss?: { sum: number },
  counts?: BatchCounts,
): Promise<Float32Array> {
  const { batch: n, height, width, channels } = batch.shape
  // Computed in a tidy, read back after it (asynchronously: webgpu has no synchronous read): one
  // probability tensor per head, then the loss when asked.
  const computed = tf.tidy(() => {
    const logits = net.apply(tf.tensor4d(batch.images, [n, height, width, channels]), false)
    const out: tf.Tensor[] = views.map((view) => headProbabilities(view, logits[view.head]))
    if (loss) {
      const labels = tf.tensor2d(batch.labels, [n, classCount])
      const mask = tf.tensor2d(batch.mask, [n, classCount])
      out.push(lossForMethod(views, logits, { labels, mask, datasetIndex: batch.datasetIndex }, counts))
    }
    return out
  })
  try {
    const outputs: Record<string, Float32Array> = {}
    for (const [i, view] of views.entries()) outputs[view.head] = (await computed[i].data()) as Float32Array
    if (loss) loss.sum += (await computed[views.length].data())[0] * n
    return toUnionLayout(views, outputs, batch.datasetIndex, classCount)
  } finally {
    tf.dispose(computed)
  }
}

/** Probabilities for `rows` of the snapshot, rows.length x N, plus the mean loss when asked. */
export async function predictRows(
  net: Network,
  views: readonly HeadView[],
  images: ImageSet,
  snapshot: EvalSnapshot,
  rows: Int32Array,
  withLoss = false,
  predictor: BatchPredictor | null = null,
): Promise<{ probabilities: Float32Array; loss: number | null }> {
  const n = snapshot.classes.length
  const probabilities = new Float32Array(rows.length * n)
  const loss = { sum: 0 }
  for (let start = 0; start < rows.length; start += EVAL_BATCH) {
    const batch = plainBatch(images, snapshot, rows.subarray(start, start + EVAL_BATCH))
    probabilities.set(await predictBatch(net, views, batch, n, predictor, withLoss ? loss : undefined), start * n)
  }
  return { probabilities, loss: withLoss && rows.length > 0 ? loss.sum / rows.length : null }
}

/** The run's model-selection score: emotion accuracy when it learns emotions, else compound accuracy, else mean AU F1. */
export function selectionScore(
  views: readonly HeadView[],
  snapshot: Pick<TrainingSnapshot, 'classes'>,
  e: Evaluation,
): number | null {
  const kinds = new Set(views.flatMap((v) => v.columns.map((c) => snapshot.classes[c].kind)))
  if (kinds.has('emotion')) return e.emotionAccuracy
  if (kinds.has('compound')) return e.compound?.accuracy ?? null
  return e.auF1Mean
}

export interface Validation {
  values: Record<string, number | null>
  score: number | null
  evaluation: Evaluation
}

/** Scores the network on `rows` (the val split): the scalar metrics of a `metrics` message and the selection score. */
export async function validate(
  net: Network,
  views: readonly HeadView[],
  images: ImageSet,
  snapshot: EvalSnapshot,
  rows: Int32Array,
  predictor: BatchPredictor | null = null,
): Promise<Validation> {
  const { probabilities, loss } = await predictRows(net, views, images, snapshot, rows, true, predictor)
  const all = snapshot.classes.map((_, i) => i)
  const { labels, mask } = sliceLabels(snapshot, rows, all)
  const evaluation = evaluate({ classes: snapshot.classes, probabilities, labels, mask })
  const values = {
    loss,
    emotionAccuracy: evaluation.emotionAccuracy,
    auF1Mean: evaluation.auF1Mean,
    meanPerClassAccuracy: evaluation.meanPerClassAccuracy,
    macroF1: evaluation.macroF1,
    auAccuracyMean: evaluation.auAccuracyMean,
    ...(learnsLandmarks(net, snapshot) ? { landmarkNme: await landmarkError(net, images, snapshot, rows) } : {}),
  }
  return { values, score: selectionScore(views, snapshot, evaluation), evaluation }
}
