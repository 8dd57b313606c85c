import { existsSync } from 'node:fs'
import type { BackendName, BackendStatus } from '../../../shared/contract/app'
import { loadCheckpoint, saveCheckpoint } from '../checkpoint'
import { trainingBatch } from '../data/batch'
import { learningRateAt } from '../optimiser/learning-rate'
import { validate } from './evaluate'
import { streamPredictions } from './predict'
import { prepareRun, runCheckpoints, type PreparedRun, type Send, type TrainCommand } from './prepare'
import { ProgressMeter } from './progress'
import { captureState, restoreState } from './state'
import { trainOnBatch } from './train-on-batch'

// The training loop (nanoGPT style: one config, one loop): steps of the run's method, validation
// every validateEvery steps, the latest state checkpointed every checkpointEvery steps and at the
// end, the best state on validation kept apart. Everything a step draws (batch order, crops,
// learning rate) is a function of the step number, so a resumed run replays what an
// uninterrupted one would have done.

export interface TrainOptions {
  backend: { name: BackendName; backends: BackendStatus[] }
  /** Polled after every step: true once main asked the run to stop. */
  stopRequested: () => boolean
}

export type TrainOutcome = 'finished' | 'stopped'

/** The loss went NaN or infinite: training diverged. */
export class TrainingDivergedError extends Error {
  constructor(
    readonly step: number,
    readonly learningRate: number,
  ) {
    super(`the training loss became NaN or infinite at step ${step} (learning rate ${learningRate}): training diverged; lower the learning rate or resume from an earlier checkpoint`)
    this.name = 'TrainingDivergedError'
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

class RunCheckpoints {
  private lastSaved = -1

  constructor(
    private readonly run: PreparedRun,
    private readonly command: TrainCommand,
    private readonly send: Send,
  ) {}

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
      ...captureState(run.net, run.trainStep),
    })
    if (!best) this.lastSaved = run.step
    this.send({ type: 'checkpoint', step: run.step, path, best, score })
  }

  async saveLatest(score: number | null): Promise<void> {
    if (this.lastSaved !== this.run.step) await this.save(false, score)
  }
}

export async function trainRun(command: TrainCommand, send: Send, options: TrainOptions): Promise<TrainOutcome> {
  const started = performance.now()
  const run = await prepareRun(command, send, (outline) => send({ type: 'started', backend: options.backend.name, backends: options.backend.backends, ...outline }))
  try {
    return await loop(run, command, send, options, started)
  } finally {
    run.trainStep.dispose()
    run.net.dispose()
  }
}

async function loop(run: PreparedRun, command: TrainCommand, send: Send, options: Pick<TrainOptions, 'stopRequested'>, started: number): Promise<TrainOutcome> {
  const { config, snapshot, views } = run
  const classCount = snapshot.classes.length
  const checkpoints = new RunCheckpoints(run, command, send)
  const meter = new ProgressMeter(run.totalSteps, config.batchSize, run.step)
  let validatedAt = -1
  let lastScore: number | null = null

  const validateNow = async (): Promise<void> => {
    validatedAt = run.step
    if (run.valRows.length === 0) return
    const result = validate(run.net, views, run.images, snapshot, run.valRows)
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
    const batch = trainingBatch(run.images, snapshot, run.order.rowsAt(step), { augmentation: config.augmentation, seed: config.seed, step })
    const result = trainOnBatch(run.net, run.trainStep, views, batch, classCount, { learningRate, weightDecay: config.weightDecay })
    if (!Number.isFinite(result.loss)) throw new TrainingDivergedError(step + 1, learningRate)
    run.step = step + 1
    meter.record(result.loss, result.lossByHead)
    const last = run.step === run.totalSteps
    const progress = meter.report(run.step, run.order.epochAt(run.step), learningRate, last)
    if (progress) send(progress)
    if (!last && run.step % config.validateEvery === 0) await validateNow()
    if (!last && run.step % config.checkpointEvery === 0) await checkpoints.saveLatest(validatedAt === run.step ? lastScore : null)
    // Lets the `stop` command (and IPC in general) through between two steps.
    await yieldToEventLoop()
  }

  if (validatedAt !== run.step) await validateNow()
  await checkpoints.saveLatest(validatedAt === run.step ? lastScore : null)
  const paths = runCheckpoints(command.runDir)
  if (command.predictAfter) await predictWithBest(run, send, paths)
  send({ type: 'finished', step: run.step, checkpoint: paths.last, bestScore: run.bestScore, seconds: (performance.now() - started) / 1000 })
  return 'finished'
}

/** Predicts every image of the snapshot with the best checkpoint (the latest when nothing was validated). */
async function predictWithBest(run: PreparedRun, send: Send, paths: { last: string; best: string }): Promise<void> {
  const path = run.bestScore !== null && existsSync(paths.best) ? paths.best : paths.last
  if (path === paths.best) restoreState(run.net, null, await loadCheckpoint(path), `checkpoint ${path}`)
  await streamPredictions({ net: run.net, views: run.views, classes: run.snapshot.classes }, run.images, run.snapshot, path, send)
}
