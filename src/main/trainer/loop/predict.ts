import type { BackendName, BackendStatus } from '../../../shared/contract/app'
import type { TrainerCommand } from '../../../shared/trainer-protocol'
import { loadCheckpoint, type Checkpoint } from '../checkpoint'
import { plainBatch } from '../data/batch'
import { imageLocator } from '../data/image-paths'
import { loadImageSet, type ImageSet } from '../data/image-set'
import type { Network } from '../network'
import { headViews, readSnapshot, rowsOf, type HeadView, type TrainingSnapshot } from '../data/snapshot'
import { EVAL_BATCH, predictBatch, type BatchPredictor } from './evaluate'
import type { Send } from './prepare'
import { restoreState } from './state'
import { startWorkers } from './run-workers'
import type { RunWorkers } from '../backend/parallel/pool'
import { networkForRun } from './train-on-batch'

// Predicts every image of a snapshot with a checkpoint (evaluation mode) and streams the
// probabilities to main in batches, laid out over the snapshot's classes. The model's own label
// space (the checkpoint's classes) may differ from the snapshot's: classes the model does not
// know come out as NaN, like classes no head of the model predicts.

export type PredictCommand = Extract<TrainerCommand, { type: 'predict' }>

export interface PredictionModel {
  net: Network
  views: HeadView[]
  /** The label space the views' columns index (the checkpoint's classes). */
  classes: readonly { code: string }[]
  /** Data-parallel workers to predict on (null: this thread). */
  predictor: BatchPredictor | null
}

/** The heads of a checkpoint's network, with columns in its own label space and datasets of `snapshot`. */
export function predictionViews(
  ckpt: Pick<Checkpoint, 'classes' | 'config'>,
  snapshot: Pick<TrainingSnapshot, 'datasets'>,
): HeadView[] {
  return headViews({ classes: ckpt.classes, datasets: snapshot.datasets }, ckpt.config)
}

/** Column of the model's output for each snapshot class, -1 where the model does not know it. */
function columnMap(model: readonly { code: string }[], snapshot: readonly { code: string }[]): Int32Array {
  const index = new Map(model.map((c, i) => [c.code, i]))
  return Int32Array.from(snapshot.map((c) => index.get(c.code) ?? -1))
}

/**
 * Sends `predictions` messages for every image of the snapshot, in row order, batchSize images
 * each; a stop asked for ends it between batches (what was sent stays sent). False when stopped.
 */
export async function streamPredictions(
  model: PredictionModel,
  images: ImageSet,
  snapshot: TrainingSnapshot,
  checkpoint: string,
  send: Send,
  { batchSize = EVAL_BATCH, stopRequested = () => false }: { batchSize?: number; stopRequested?: () => boolean } = {},
): Promise<boolean> {
  const classCodes = snapshot.classes.map((c) => c.code)
  const map = columnMap(model.classes, snapshot.classes)
  const identity = map.length === model.classes.length && map.every((m, i) => m === i)
  const total = snapshot.images.length
  const modelWidth = model.classes.length
  const rows = Int32Array.from({ length: total }, (_, i) => i)
  for (let start = 0; start < total; start += batchSize) {
    if (stopRequested()) return false
    const batch = plainBatch(images, snapshot, rows.subarray(start, start + batchSize))
    const p = await predictBatch(model.net, model.views, batch, modelWidth, model.predictor)
    const n = batch.rows.length
    const probabilities: number[] = new Array(n * classCodes.length)
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < classCodes.length; j++)
        probabilities[r * classCodes.length + j] = identity
          ? p[r * modelWidth + j]
          : map[j] < 0
            ? Number.NaN
            : p[r * modelWidth + map[j]]
    }
    send({
      type: 'predictions',
      checkpoint,
      classCodes,
      imageIds: Array.from(batch.rows, (row) => snapshot.images[row].id),
      probabilities,
      done: start + n,
      total,
    })
    // Let the message go out (and main keep up) before the next batch is computed.
    await new Promise((resolve) => setImmediate(resolve))
  }
  return true
}

/** The `predict` command: load the checkpoint and the snapshot's images, predict them all (or until a stop). */
export async function runPrediction(
  command: PredictCommand,
  send: Send,
  backend: { name: BackendName; backends: BackendStatus[] },
  stopRequested: () => boolean = () => false,
): Promise<'finished' | 'stopped'> {
  const started = performance.now()
  const ckpt = await loadCheckpoint(command.checkpoint)
  const snapshot = await readSnapshot(command.snapshot)
  const views = predictionViews(ckpt, snapshot)
  send({
    type: 'started',
    backend: backend.name,
    backends: backend.backends,
    totalSteps: ckpt.step,
    step: ckpt.step,
    trainImages: rowsOf(snapshot, 'train').length,
    valImages: rowsOf(snapshot, 'val').length,
  })
  const loaded = await loadImageSet(snapshot, {
    size: ckpt.config.inputSize,
    channels: ckpt.config.channels,
    cacheDir: command.cacheDir,
    locate: imageLocator(command),
  })
  if (loaded.cacheWarning) send({ type: 'log', level: 'warn', message: loaded.cacheWarning })
  const net = networkForRun(ckpt.config, views)
  let workers: RunWorkers | null = null
  let completed: boolean
  try {
    restoreState(net, null, ckpt, `checkpoint ${command.checkpoint}`)
    const plan = {
      asked: command.threads,
      backend: backend.name,
      batchSize: EVAL_BATCH,
      images: snapshot.images.length,
    }
    workers = await startWorkers(net, { views, classCount: ckpt.classes.length, landmarkWeight: 0 }, plan, send)
    const model = { net, views, classes: ckpt.classes, predictor: workers }
    completed = await streamPredictions(model, loaded, snapshot, command.checkpoint, send, { stopRequested })
  } finally {
    await workers?.close()
    net.dispose()
  }
  if (!completed) {
    send({ type: 'stopped', step: ckpt.step, checkpoint: command.checkpoint })
    return 'stopped'
  }
  send({
    type: 'finished',
    step: ckpt.step,
    checkpoint: command.checkpoint,
    bestScore: ckpt.bestScore,
    seconds: (performance.now() - started) / 1000,
  })
  return 'finished'
}
