import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { RunConfigSchema, totalSteps, type RunConfig } from '../../../shared/run-config'
import type { TrainerCommand, TrainerMessage } from '../../../shared/trainer-protocol'
import { loadCheckpoint } from '../checkpoint'
import { batchOrder, type BatchOrder } from '../data/batch-order'
import { imageLocator } from '../data/image-paths'
import { loadImageSet, type ImageSet } from '../data/image-set'
import type { Network } from '../network'
import { headViews, readSnapshot, rowsOf, type HeadView, type TrainingSnapshot } from '../data/snapshot'
import { createTrainStep, type TrainStep } from '../optimiser/momentum-sgd'
import { startLandmarkHead, trainingMeanShape } from './landmark-start'
import { initFromState, restoreState } from './state'
import { networkForRun } from './train-on-batch'

// Everything a training run needs before its first step: the snapshot, the decoded images, the
// data order, the network and optimiser, restored from a checkpoint when resuming or initialised
// from another run's weights.

export type TrainCommand = Extract<TrainerCommand, { type: 'train' }>
export type Send = (message: TrainerMessage) => void

export interface PreparedRun {
  config: RunConfig
  snapshot: TrainingSnapshot
  views: HeadView[]
  order: BatchOrder
  valRows: Int32Array
  images: ImageSet
  net: Network
  trainStep: TrainStep
  totalSteps: number
  /** Steps already done (0, or the step of the checkpoint resumed from). */
  step: number
  bestScore: number | null
}

/** Where a run keeps its checkpoints: the latest state (resume) and the best on validation. */
export const runCheckpoints = (runDir: string): { last: string; best: string } => ({
  last: join(runDir, 'last.ckpt'),
  best: join(runDir, 'best.ckpt'),
})

/** Logs decoding progress about every 10% (decoding a large dataset the first time takes minutes). */
function decodeLogger(send: Send): (done: number, total: number) => void {
  let nextShare = 0.1
  return (done, total) => {
    if (done / total < nextShare && done !== total) return
    nextShare = Math.floor((done / total) * 10 + 1) / 10
    send({ type: 'log', level: 'info', message: `decoded ${done} of ${total} images` })
  }
}

/** What the run is about to do, known before the (possibly long) image decoding starts. */
export interface RunOutline {
  totalSteps: number
  step: number
  trainImages: number
  valImages: number
}

/**
 * Reads the snapshot and the checkpoint to resume from, tells `announce` what the run will do
 * (main shows it while images are decoded), then decodes the images and builds the network.
 */
export async function prepareRun(
  command: TrainCommand,
  send: Send,
  announce: (outline: RunOutline) => void = () => {},
): Promise<PreparedRun> {
  const parsed = RunConfigSchema.safeParse(command.config)
  if (!parsed.success)
    throw new Error(
      `the run config is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`,
    )
  const config = parsed.data
  const snapshot = await readSnapshot(command.snapshot)
  if (config.landmarks && !snapshot.landmarks)
    throw new Error(
      `the run learns facial landmarks but its training snapshot ${command.snapshot} has none: start the run again so that its snapshot is built with them`,
    )
  const views = headViews(snapshot, config)
  const order = batchOrder(snapshot, views, { method: config.method, batchSize: config.batchSize, seed: config.seed })
  // A single network is scored on its own dataset only: other datasets' rows have no prediction.
  const valRows = rowsOf(snapshot, 'val', config.method === 'single' ? (views[0].datasetIndex ?? undefined) : undefined)
  const resumeFrom = command.resumeFrom ? await loadCheckpoint(command.resumeFrom) : null
  if (resumeFrom && resumeFrom.snapshotHash !== undefined && resumeFrom.snapshotHash !== snapshot.hash) {
    throw new Error(
      `cannot resume from ${command.resumeFrom}: it was trained on another training snapshot (${resumeFrom.snapshotHash.slice(0, 12)}, this run's is ${snapshot.hash.slice(0, 12)}); resume with the run's own snapshot, or start a new run initialised from it`,
    )
  }
  const steps = totalSteps(config, order.trainImages)
  announce({
    totalSteps: steps,
    step: resumeFrom?.step ?? 0,
    trainImages: order.trainImages,
    valImages: valRows.length,
  })
  await mkdir(command.runDir, { recursive: true })

  const loaded = await loadImageSet(snapshot, {
    size: config.inputSize,
    channels: config.channels,
    cacheDir: command.cacheDir,
    locate: imageLocator(command),
    onProgress: decodeLogger(send),
  })
  if (loaded.cacheWarning) send({ type: 'log', level: 'warn', message: loaded.cacheWarning })

  const net = networkForRun(config, views)
  const meanShape = config.landmarks ? trainingMeanShape(snapshot) : null
  if (meanShape) startLandmarkHead(net, meanShape)
  const trainStep = createTrainStep(net, { momentum: config.momentum })
  const run: PreparedRun = {
    config,
    snapshot,
    views,
    order,
    valRows,
    images: loaded,
    net,
    trainStep,
    totalSteps: steps,
    step: 0,
    bestScore: null,
  }
  try {
    if (resumeFrom) {
      restoreState(net, trainStep, resumeFrom, `checkpoint ${command.resumeFrom}`)
      run.step = resumeFrom.step
      run.bestScore = resumeFrom.bestScore
    } else if (command.initFrom) {
      await initialise(run, command.initFrom, send)
    }
  } catch (error) {
    trainStep.dispose()
    net.dispose()
    throw error
  }
  return run
}

async function initialise(run: PreparedRun, path: string, send: Send): Promise<void> {
  const ckpt = await loadCheckpoint(path)
  const report = initFromState(run.net, ckpt)
  if (report.loaded.length === 0) {
    throw new Error(
      `cannot initialise from ${path}: none of its weights fits this network (it is a ${ckpt.config.network} at ${ckpt.config.inputSize}px x ${ckpt.config.channels} channels, this run is a ${run.config.network} at ${run.config.inputSize}px x ${run.config.channels})`,
    )
  }
  const total = run.net.trainable.size + run.net.state.size
  const skipped = report.skipped.map((s) => `${s.name} (${s.reason})`)
  send({
    type: 'log',
    level: report.skipped.some((s) => !s.name.startsWith('head/')) ? 'warn' : 'info',
    message:
      `initialised ${report.loaded.length} of ${total} weight tensors from ${path}` +
      (skipped.length ? `; kept fresh: ${skipped.join(', ')}` : ''),
  })
}
