import { existsSync } from 'node:fs'
import type { BackendName, BackendStatus } from '../../../shared/contract/app'
import { assertBackendHealthy, faultBehind } from '../backend'
import { loadCheckpoint, saveCheckpoint } from '../checkpoint'
import { trainingBatch } from '../data/batch'
import { learningRateAt } from '../optimiser/learning-rate'
import { validate } from './evaluate'
import { streamPredictions } from './predict'
import { prepareRun, runCheckpoints, type PreparedRun, type Send, type TrainCommand } from './prepare'
import { imagesPerPass, largestTensorBytesPerImage } from './batch-split'
import { RunInterruptedError, stateIsSaveable, type ResumePoint } from './interrupted'
import { ProgressMeter } from './progress'
import { captureState, restoreState } from './state'
import { landmarkWeightOf, trainOnBatch } from './train-on-batch'
import { trainOnWorkers } from './train-on-workers'
import { startWorkers } from './run-workers'
import type { RunWorkers } from '../backend/parallel/pool'

// The training loop (nanoGPT style: one config, one loop): steps of the run's method, validation
// every validateEvery steps, the latest state checkpointed every checkpointEvery steps and at the
// end, the best state on validation kept apart. Everything a step draws (batch order, crops,
// learning rate) is a function of the step number, so a resumed run replays what an
// uninterrupted one would have done.

export interface TrainOptions {
  /** maxBufferBytes: the GPU's largest buffer (webgpu), which a batch's passes must fit. */
  backend: { name: BackendName; backends: BackendStatus[]; maxBufferBytes?: number }
  /** Polled after every step: true once main asked the run to stop. */
  stopRequested: () => boolean
  /** Awaited after every step with the steps done (the training benchmark times steps with it). */
  onStep?: (step: number) => void | Promise<void>
}

export type TrainOutcome = 'finished' | 'stopped'

/** The loss went NaN or infinite: training diverged. */
export class TrainingDivergedError extends Error {
  constructor(
    readonly step: number,
    readonly learningRate: number,
  ) {
    super(
      `the training loss became NaN or infinite at step ${step} (learning rate ${learningRate}): training diverged; lower the learning rate or resume from an earlier checkpoint`,
    )
    this.name = 'TrainingDivergedError'
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

class RunCheckpoints {
  private lastSaved = -1
  /** The latest state on disk: the checkpoint resumed from, then each one written. */
  resumePoint: ResumePoint | null

  constructor(
    private readonly run: PreparedRun,
    private readonly command: TrainCommand,
    private readonly send: Send,
  ) {
    this.resumePoint = command.resumeFrom ? { step: run.step, path: command.resumeFrom } : null
  }

  /** Writes the run's current state to `path` (the latest or the best checkpoint). */
  async save(best: boolean, score: number | null): Promise<void> {
    const { run } = this
    const paths = runCheckpoints(this.command.runDir)
    const path = best ? paths.best : paths.last
    await saveCheckpoint(path, {
      step: run.step,
      epoch: run.order.epochAt(run.step),
      bestScore: run.bestScore,
      config: run.config,
      classes: run.snapshot.classes,
      snapshotHash: run.snapshot.hash,
      ...(await captureState(run.net, run.trainStep)),
    })
    if (!best) {
      this.lastSaved = run.step
      this.resumePoint = { step: run.step, path }
    }
    this.send({ type: 'checkpoint', step: run.step, path, best, score })
  }

  async saveLatest(score: number | null): Promise<void> {
    if (this.lastSaved !== this.run.step) await this.save(false, score)
  }
}

export async function trainRun(command: TrainCommand, send: Send, options: TrainOptions): Promise<TrainOutcome> {
  const started = performance.now()
  const run = await prepareRun(command, send, (outline) =>
    send({ type: 'started', backend: options.backend.name, backends: options.backend.backends, ...outline }),
  )
  const checkpoints = new RunCheckpoints(run, command, send)
  let workers: RunWorkers | null = null
  try {
    const perPass = await planPasses(run, options.backend.maxBufferBytes, send)
    const plan = { asked: run.config.threads, backend: options.backend.name, batchSize: run.config.batchSize }
    const task = { views: run.views, classCount: run.snapshot.classes.length, landmarkWeight: landmarkWeightOf(run) }
    workers = await startWorkers(run.net, task, plan, send)
    return await loop(run, command, send, { ...options, imagesPerPass: perPass, workers }, started, checkpoints)
  } catch (error) {
    throw await interrupted(error, run, checkpoints)
  } finally {
    await workers?.close()
    run.trainStep.dispose()
    run.net.dispose()
  }
}

/**
 * The error a run fails with, and the checkpoint it can resume from: written now when the failure
 * left the network intact (an allocation failed before the update), else the last one written.
 */
async function interrupted(error: unknown, run: PreparedRun, checkpoints: RunCheckpoints): Promise<unknown> {
  // Diverged weights are not worth keeping; its message says to go back to an earlier checkpoint.
  if (error instanceof TrainingDivergedError) return error
  const cause = (await faultBehind()) ?? error
  if (stateIsSaveable(cause)) {
    try {
      await checkpoints.saveLatest(null)
    } catch {
      // Still out of memory, or the disk is full: the last checkpoint written stays the resume point.
    }
  }
  return new RunInterruptedError(cause, run.step, checkpoints.resumePoint)
}

/** Images per pass when the GPU's largest buffer cannot hold a whole batch's activations (else undefined). */
async function planPasses(
  run: PreparedRun,
  maxBufferBytes: number | undefined,
  send: Send,
): Promise<number | undefined> {
  if (!maxBufferBytes) return undefined
  const perImage = await largestTensorBytesPerImage(run.net)
  const perPass = imagesPerPass(perImage, maxBufferBytes, run.config.batchSize)
  if (perPass >= run.config.batchSize) return undefined
  const mib = (b: number) =>
    b < 2 ** 20 ? `${Math.round(b / 1024)} KiB` : `${Math.round(b / 2 ** 20).toLocaleString('en')} MiB`
  send({
    type: 'log',
    level: 'info',
    message: `each batch of ${run.config.batchSize} is trained in passes of at most ${perPass} images: one image's largest tensor takes ${mib(perImage)}, and the GPU's largest buffer is ${mib(maxBufferBytes)}`,
  })
  return perPass
}

async function loop(
  run: PreparedRun,
  command: TrainCommand,
  send: Send,
  options: Pick<TrainOptions, 'stopRequested' | 'onStep'> & { imagesPerPass?: number; workers: RunWorkers | null },
  started: number,
  checkpoints: RunCheckpoints,
): Promise<TrainOutcome> {
  const { config, snapshot, views } = run
  const classCount = snapshot.classes.length
  const meter = new ProgressMeter(run.totalSteps, config.batchSize, run.step)
  let validatedAt = -1
  let lastScore: number | null = null

  const validateNow = async (): Promise<void> => {
    validatedAt = run.step
    if (run.valRows.length === 0) return
    const result = await validate(run.net, views, run.images, snapshot, run.valRows, options.workers)
    lastScore = result.score
    send({ type: 'metrics', step: run.step, split: 'val', values: result.values })
    if (result.score !== null && (run.bestScore === null || result.score > run.bestScore)) {
      run.bestScore = result.score
      await checkpoints.save(true, result.score)
    }
  }

  while (run.step < run.totalSteps) {
    if (options.stopRequested()) {
      await checkpoints.saveLatest(validatedAt === run.step ? lastScore : null)
      send({ type: 'stopped', step: run.step, checkpoint: runCheckpoints(command.runDir).last })
      return 'stopped'
    }
    const step = run.step
    const learningRate = learningRateAt(step, config)
    const batch = trainingBatch(run.images, snapshot, run.order.rowsAt(step), {
      augmentation: config.augmentation,
      seed: config.seed,
      step,
    })
    const stepOptions = {
      learningRate,
      weightDecay: config.weightDecay,
      landmarkWeight: landmarkWeightOf(run),
      imagesPerPass: options.imagesPerPass,
    }
    const result = options.workers
      ? await trainOnWorkers(options.workers, run.net, run.trainStep, views, batch, stepOptions)
      : await trainOnBatch(run.net, run.trainStep, views, batch, classCount, stepOptions)
    // A lost GPU may still hand back a number: ask before trusting the step.
    assertBackendHealthy()
    if (!Number.isFinite(result.loss)) throw new TrainingDivergedError(step + 1, learningRate)
    run.step = step + 1
    await options.onStep?.(run.step)
    meter.record(result.loss, result.lossByHead)
    const last = run.step === run.totalSteps
    const progress = meter.report(run.step, run.order.epochAt(run.step), learningRate, last)
    if (progress) send(progress)
    if (!last && run.step % config.validateEvery === 0) await validateNow()
    if (!last && run.step % config.checkpointEvery === 0)
      await checkpoints.saveLatest(validatedAt === run.step ? lastScore : null)
    // Lets the `stop` command (and IPC in general) through between two steps.
    await yieldToEventLoop()
  }

  if (validatedAt !== run.step) await validateNow()
  await checkpoints.saveLatest(validatedAt === run.step ? lastScore : null)
  const paths = runCheckpoints(command.runDir)
  if (command.predictAfter) await predictWithBest(run, send, paths, options.workers)
  send({
    type: 'finished',
    step: run.step,
    checkpoint: paths.last,
    bestScore: run.bestScore,
    seconds: (performance.now() - started) / 1000,
  })
  return 'finished'
}

/** Predicts every image of the snapshot with the best checkpoint (the latest when nothing was validated). */
async function predictWithBest(
  run: PreparedRun,
  send: Send,
  paths: { last: string; best: string },
  workers: RunWorkers | null,
): Promise<void> {
  const path = run.bestScore !== null && existsSync(paths.best) ? paths.best : paths.last
  if (path === paths.best) restoreState(run.net, null, await loadCheckpoint(path), `checkpoint ${path}`)
  workers?.weightsChanged()
  await streamPredictions(
    { net: run.net, views: run.views, classes: run.snapshot.classes, predictor: workers },
    run.images,
    run.snapshot,
    path,
    send,
  )
}
