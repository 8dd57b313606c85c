import { join } from 'node:path'
import type { BackendName } from '../src/shared/contract/app'
import type { TrainerMessage } from '../src/shared/trainer-protocol'
import { RunConfigSchema } from '../src/shared/run-config'
import type { NetworkArch } from '../src/main/trainer/network'
import { runPrediction } from '../src/main/trainer/loop/predict'
import { runCheckpoints, type TrainCommand } from '../src/main/trainer/loop/prepare'
import { trainRun } from '../src/main/trainer/loop/train'

/*
 * The two things the training benchmark times, both through the code a run uses: training steps of
 * a real run (trainRun: the snapshot's images decoded once, batches drawn, augmented and trained on
 * the run's workers), and predicting a snapshot with the `predict` command's code. Between rounds
 * `between` runs (the PyTorch peer), so each round of ours is paired with one of the peer's.
 */

export interface RoundsSetup {
  arch: NetworkArch
  batch: number
  threads: number
  backend: BackendName
  snapshot: string
  dir: string
}

/** Called after each round of timed steps with the round (from 0) and its images per second. */
export type Between = (round: number, imagesPerSecond: number) => Promise<void>

const WARMUP = 2
const NEVER = 1_000_000

/** Trains rounds x steps timed steps (after WARMUP) in one run; calls `between` after each round's steps. */
export async function trainingRounds(
  setup: RoundsSetup,
  rounds: number,
  steps: number,
  between: Between,
): Promise<{ checkpoint: string; messages: TrainerMessage[] }> {
  const command: TrainCommand = {
    type: 'train',
    runId: 1,
    runDir: join(setup.dir, 'run'),
    snapshot: setup.snapshot,
    cacheDir: join(setup.dir, 'cache'),
    predictAfter: false,
    config: RunConfigSchema.parse({
      method: 'sjmt',
      network: setup.arch,
      batchSize: setup.batch,
      steps: WARMUP + rounds * steps,
      validateEvery: NEVER,
      checkpointEvery: NEVER,
      backend: setup.backend,
      threads: setup.threads,
    }),
  }
  const messages: TrainerMessage[] = []
  let mark = 0
  const onStep = async (step: number): Promise<void> => {
    if (step === WARMUP) mark = performance.now()
    if (step <= WARMUP || (step - WARMUP) % steps !== 0) return
    await between((step - WARMUP) / steps - 1, (steps * setup.batch * 1000) / (performance.now() - mark))
    mark = performance.now()
  }
  const outcome = await trainRun(command, (m) => messages.push(m), {
    backend: { name: setup.backend, backends: [] },
    stopRequested: () => false,
    onStep,
  })
  if (outcome !== 'finished') throw new Error(`the benchmark's training run ended ${outcome}`)
  return { checkpoint: runCheckpoints(command.runDir).last, messages }
}

/** Predicts every image of the snapshot with the checkpoint; images per second from the first batch's end to the last's. */
export async function predictionRound(setup: RoundsSetup, checkpoint: string): Promise<number> {
  const stamps: { at: number; done: number }[] = []
  await runPrediction(
    {
      type: 'predict',
      runId: 1,
      runDir: join(setup.dir, 'run'),
      snapshot: setup.snapshot,
      checkpoint,
      cacheDir: join(setup.dir, 'cache'),
      backend: setup.backend,
      threads: setup.threads,
    },
    (m) => {
      if (m.type === 'predictions') stamps.push({ at: performance.now(), done: m.done })
    },
    { name: setup.backend, backends: [] },
  )
  if (stamps.length < 2) throw new Error('the benchmark needs at least two prediction batches: use more images')
  const first = stamps[0]
  const last = stamps[stamps.length - 1]
  return ((last.done - first.done) * 1000) / (last.at - first.at)
}
