import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { RunConfigSchema, type RunConfigInput } from '../../src/shared/run-config'
import { RunWorkers } from '../../src/main/trainer/backend/parallel/pool'
import { trainingBatch, type Batch } from '../../src/main/trainer/data/batch'
import { learningRateAt } from '../../src/main/trainer/optimiser/learning-rate'
import { prepareRun, type PreparedRun, type TrainCommand } from '../../src/main/trainer/loop/prepare'
import { landmarkWeightOf, trainOnBatch } from '../../src/main/trainer/loop/train-on-batch'
import { trainOnWorkers } from '../../src/main/trainer/loop/train-on-workers'

// Test fixture (not shipped): training a few steps of a tiny run in the trainer's own thread and on
// data-parallel workers, so that tests can hold the two to the same loss curve and weights.

export const STEPS = 8
/**
 * Largest gap, relative to the step's loss, between the loss curves of 2 workers and 1 thread
 * (measured 1e-7; per-shard batch norm, before synchronising it, gave 2.6% sjmt and 2.7% multitask).
 */
export const LOSS_TOLERANCE = 1e-4
/** Largest difference of any weight or moving statistic after the steps (measured 6e-7). */
export const WEIGHT_TOLERANCE = 1e-5

/** A train command of STEPS steps of a ResNet-8 on 8 x 8 images of `snapshot`, with `config` over these defaults. */
export function trainCommand(dir: string, snapshot: string, name: string, config: RunConfigInput): TrainCommand {
  return {
    type: 'train',
    runId: 1,
    runDir: join(dir, name),
    snapshot,
    config: RunConfigSchema.parse({
      network: 'resnet-8',
      inputSize: 8,
      steps: STEPS,
      backend: 'wasm',
      augmentation: { pad: 2, horizontalFlip: true },
      validateEvery: 4,
      checkpointEvery: 4,
      ...config,
    }),
    cacheDir: join(dir, 'cache'),
    predictAfter: false,
  }
}

/** The batch a test trains at a step. */
export type BatchAt = (run: PreparedRun, step: number) => Batch

/** The run's own training batch of the step. */
export const runBatch: BatchAt = (run, step) =>
  trainingBatch(run.images, run.snapshot, run.order.rowsAt(step), {
    augmentation: run.config.augmentation,
    seed: run.config.seed,
    step,
  })

/** One training step; its loss. */
export type Step = (run: PreparedRun, step: number) => Promise<number>

/** Trains STEPS steps with `step`; the loss curve and the final weights and moving statistics. */
export async function curve(
  run: PreparedRun,
  step: Step,
): Promise<{ losses: number[]; weights: Map<string, Float32Array> }> {
  const losses: number[] = []
  for (let s = 0; s < STEPS; s++) losses.push(await step(run, s))
  const weights = new Map([...run.net.trainable].map(([name, v]) => [name, v.dataSync() as Float32Array]))
  for (const [name, v] of run.net.state) weights.set(name, v.dataSync() as Float32Array)
  return { losses, weights }
}

/** A step in the trainer's own thread, in passes of `imagesPerPass` images. */
export const inThread =
  (imagesPerPass: number, batchAt: BatchAt = runBatch): Step =>
  async (run, s) =>
    (
      await trainOnBatch(run.net, run.trainStep, run.views, batchAt(run, s), run.snapshot.classes.length, {
        learningRate: learningRateAt(s, run.config),
        weightDecay: run.config.weightDecay,
        landmarkWeight: landmarkWeightOf(run),
        imagesPerPass,
      })
    ).loss

/** A step on the run's data-parallel workers. */
export const onWorkers =
  (workers: RunWorkers, batchAt: BatchAt = runBatch): Step =>
  async (run, s) =>
    (
      await trainOnWorkers(workers, run.net, run.trainStep, run.views, batchAt(run, s), {
        learningRate: learningRateAt(s, run.config),
        weightDecay: run.config.weightDecay,
        landmarkWeight: landmarkWeightOf(run),
      })
    ).loss

/** Starts `count` workers for the run's network, heads and landmark loss. */
export const workersFor = (run: PreparedRun, count: number): Promise<RunWorkers> =>
  RunWorkers.start(
    {
      spec: run.net.spec,
      views: run.views,
      classCount: run.snapshot.classes.length,
      landmarkWeight: landmarkWeightOf(run),
    },
    count,
  )

/** Largest absolute difference between two sets of named values. */
export const worstGap = (a: Map<string, Float32Array>, b: Map<string, Float32Array>): number =>
  Math.max(...[...a].map(([name, v]) => Math.max(...v.map((x, i) => Math.abs(x - b.get(name)![i])))))

type Curve = Awaited<ReturnType<typeof curve>>

/** Expects the two curves equal to LOSS_TOLERANCE at every step and WEIGHT_TOLERANCE in the weights, from a run that learned something. */
export function expectSameTraining(parallel: Curve, whole: Curve, what: string): void {
  parallel.losses.forEach((loss, s) =>
    expect(Math.abs(loss - whole.losses[s]) / whole.losses[s], `${what}, step ${s + 1}`).toBeLessThan(LOSS_TOLERANCE),
  )
  expect(worstGap(parallel.weights, whole.weights), what).toBeLessThan(WEIGHT_TOLERANCE)
  // The curve moved: the comparison is between runs that learned something.
  expect(whole.losses.at(-1)).not.toBeCloseTo(whole.losses[0], 2)
}

/** A run prepared twice, the second with 2 workers: one trains in the thread, the other on the workers. */
export interface RunPair {
  whole: PreparedRun
  parallel: PreparedRun
  workers: RunWorkers
}

/**
 * Prepares the pair before the describe's tests (`command` names each run's folder: 'whole',
 * 'workers') and closes it after them; the tests read it through the function returned.
 */
export function runPairFor(command: (which: string) => TrainCommand): () => RunPair {
  const runs: PreparedRun[] = []
  let workers: RunWorkers | undefined
  beforeAll(async () => {
    for (const which of ['whole', 'workers']) runs.push(await prepareRun(command(which), () => {}))
    workers = await workersFor(runs[1], 2)
  })
  afterAll(async () => {
    await workers?.close()
    for (const run of runs) {
      run.trainStep.dispose()
      run.net.dispose()
    }
  })
  return () => {
    if (!workers) throw new Error('the run pair is prepared in beforeAll, before the tests read it')
    return { whole: runs[0], parallel: runs[1], workers }
  }
}
