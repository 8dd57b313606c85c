import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema, type RunConfigInput } from '../../../shared/run-config'
import type { TrainerMessage } from '../../../shared/trainer-protocol'
import { selectBackend } from '../backend'
import { loadCheckpoint } from '../checkpoint'
import { writeTinySnapshot } from '../data/tiny-snapshot.fixture'
import { explainFailure } from '../process/failure'
import { trainingMeanShape } from './landmark-start'
import { prepareRun, runCheckpoints, type TrainCommand } from './prepare'
import { trainRun } from './train'

// The cpu backend is the reference: deterministic, so an interrupted run can be compared with an
// uninterrupted one bit for bit. Its conv filter gradient is slow, hence the 8x8 input and few steps.

const dir = await mkdtemp(join(tmpdir(), 'train-loop-test-'))
let snapshotBase = ''
let landmarkSnapshotBase = ''
beforeAll(async () => {
  await selectBackend('cpu')
  snapshotBase = (await writeTinySnapshot(join(dir, 'data'), { perDataset: 10 })).base
  landmarkSnapshotBase = (await writeTinySnapshot(join(dir, 'landmark-data'), { perDataset: 10, landmarks: true })).base
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const backend = { name: 'cpu' as const, backends: [] }

function command(runDir: string, config: RunConfigInput, extra: Partial<TrainCommand> = {}): TrainCommand {
  const base = {
    method: 'sjmt',
    network: 'resnet-8',
    inputSize: 8,
    batchSize: 4,
    learningRate: 0.05,
    steps: 6,
    validateEvery: 3,
    checkpointEvery: 3,
    backend: 'cpu',
    augmentation: { pad: 2, horizontalFlip: true },
  } as const
  return {
    type: 'train',
    runId: 1,
    runDir: join(dir, runDir),
    snapshot: snapshotBase,
    config: RunConfigSchema.parse({ ...base, ...config }),
    cacheDir: join(dir, 'cache'),
    predictAfter: false,
    ...extra,
  }
}

async function run(
  cmd: TrainCommand,
  stopBeforeStep?: number,
): Promise<{ outcome: string; messages: TrainerMessage[] }> {
  const messages: TrainerMessage[] = []
  let polls = 0
  // The loop polls once before each step: poll k + 1 comes before step k.
  const outcome = await trainRun(cmd, (m) => messages.push(m), {
    backend,
    stopRequested: () => stopBeforeStep !== undefined && ++polls > stopBeforeStep,
  })
  return { outcome, messages }
}

/** Trains a run whole, and once stopped after step 4 and resumed; both must end at the same state. */
async function expectResumeToMatch(
  name: string,
  config: RunConfigInput,
  extra: Partial<TrainCommand> = {},
): Promise<{ whole: Awaited<ReturnType<typeof run>> }> {
  const whole = await run(command(`${name}-whole`, config, extra))
  expect(whole.outcome).toBe('finished')

  const first = await run(command(`${name}-resumed`, config, extra), 4)
  expect(first.outcome).toBe('stopped')
  const stopped = first.messages.at(-1)
  const last = runCheckpoints(join(dir, `${name}-resumed`)).last
  expect(stopped).toMatchObject({ type: 'stopped', step: 4, checkpoint: last })

  const second = await run(command(`${name}-resumed`, config, { ...extra, resumeFrom: last }))
  expect(second.outcome).toBe('finished')
  expect(second.messages[0]).toMatchObject({ type: 'started', step: 4, totalSteps: 6 })

  const a = await loadCheckpoint(runCheckpoints(join(dir, `${name}-whole`)).last)
  const b = await loadCheckpoint(last)
  expect(b.step).toBe(6)
  expect(b.bestScore).toBe(a.bestScore)
  for (const group of ['weights', 'batchNorm', 'optimizer'] as const) {
    expect(b[group].map((t) => t.name)).toEqual(a[group].map((t) => t.name))
    expect(largestDifference(a[group], b[group]), group).toBeLessThan(1e-6)
  }
  return { whole }
}

function largestDifference(a: { data: ArrayLike<number> }[], b: { data: ArrayLike<number> }[]): number {
  let worst = 0
  a.forEach((t, i) => Array.from(t.data).forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i].data[j])))))
  return worst
}

describe('training loop', () => {
  it('resumed after a stop, ends with the same weights, momentum and batch-norm statistics as a run never stopped', async () => {
    await expectResumeToMatch('plain', {})
    // And the comparison means something: one step fewer gives other weights.
    const shorter = await run(command('plain-shorter', { steps: 5 }))
    expect(shorter.outcome).toBe('finished')
    const a = await loadCheckpoint(runCheckpoints(join(dir, 'plain-whole')).last)
    const c = await loadCheckpoint(runCheckpoints(join(dir, 'plain-shorter')).last)
    expect(largestDifference(a.weights, c.weights)).toBeGreaterThan(1e-4)
  })

  it('resumes a run that learns landmarks to the same end, its landmark head and momentum included', async () => {
    const landmarks = { landmarks: true, landmarkWeight: 10 }
    const { whole } = await expectResumeToMatch('landmarks', landmarks, { snapshot: landmarkSnapshotBase })
    const a = await loadCheckpoint(runCheckpoints(join(dir, 'landmarks-whole')).last)
    expect(a.weights.find((t) => t.name === 'head/landmarks/kernel')?.shape).toEqual([64, 136])
    expect(a.optimizer.some((t) => t.name.startsWith('head/landmarks/'))).toBe(true)
    const progress = whole.messages.filter((m) => m.type === 'progress')
    expect(progress.every((m) => m.type === 'progress' && m.lossByHead.landmarks > 0)).toBe(true)
    const nme = whole.messages.flatMap((m) => (m.type === 'metrics' ? [m.values.landmarkNme] : []))
    expect(nme.length).toBeGreaterThan(0)
    expect(nme.every((v) => typeof v === 'number' && v > 0)).toBe(true)
  })

  it("starts a landmark head at the training faces' mean shape (zero kernel), not at random outputs", async () => {
    const cmd = command('landmarks-start', { landmarks: true }, { snapshot: landmarkSnapshotBase })
    const prepared = await prepareRun(cmd, () => {})
    try {
      const kernel = prepared.net.trainable.get('head/landmarks/kernel')!.dataSync()
      expect(kernel.every((v) => v === 0)).toBe(true)
      const bias = prepared.net.trainable.get('head/landmarks/bias')!.dataSync()
      const mean = trainingMeanShape(prepared.snapshot)!
      bias.forEach((v, k) => expect(v + 0.5).toBeCloseTo(mean[k], 6))
    } finally {
      prepared.trainStep.dispose()
      prepared.net.dispose()
    }
  })

  it('validates, checkpoints the best and the latest, and reports each step in order', async () => {
    const { messages } = await run(command('order', { steps: 6, validateEvery: 2, checkpointEvery: 4 }))
    const kinds = messages.map((m) => m.type)
    expect(kinds[0]).toBe('started')
    expect(kinds.at(-1)).toBe('finished')
    const metrics = messages.filter((m) => m.type === 'metrics')
    expect(metrics.map((m) => m.step)).toEqual([2, 4, 6])
    expect(Object.keys(metrics[0].values).sort()).toEqual([
      'auAccuracyMean',
      'auF1Mean',
      'emotionAccuracy',
      'loss',
      'macroF1',
      'meanPerClassAccuracy',
    ])
    const checkpoints = messages.filter((m) => m.type === 'checkpoint')
    expect(checkpoints.filter((c) => !c.best).map((c) => c.step)).toEqual([4, 6])
    expect(checkpoints.filter((c) => c.best).length).toBeGreaterThanOrEqual(1)
    const progress = messages.filter((m) => m.type === 'progress')
    expect(progress.at(-1)).toMatchObject({ step: 6, totalSteps: 6, lossByHead: { union: expect.any(Number) } })
    const finished = messages.at(-1) as Extract<TrainerMessage, { type: 'finished' }>
    const best = checkpoints.filter((c) => c.best).at(-1)!
    expect(finished.bestScore).toBe(best.score)
  })

  it('out of memory mid-run: fails saying so, with a checkpoint of the last whole step that resumes to the same end', async () => {
    // An allocation that fails inside step 4's gradients, as V8 reports it; the kernel is put back after.
    const log1p = tf.getKernel('Log1p', 'cpu')!
    let calls = 0
    tf.unregisterKernel('Log1p', 'cpu')
    tf.registerKernel({
      ...log1p,
      kernelFunc: (args) => {
        if (++calls === 4) throw new RangeError('Array buffer allocation failed')
        return log1p.kernelFunc(args)
      },
    })
    let error: unknown
    try {
      error = await run(command('oom', { checkpointEvery: 100, validateEvery: 100 })).catch((e: unknown) => e)
    } finally {
      tf.unregisterKernel('Log1p', 'cpu')
      tf.registerKernel(log1p)
    }
    const { reason } = explainFailure(error, { batchSize: 4 })
    expect(reason).toBe(
      'at step 4, the trainer ran out of memory: use a smaller batch size (now 4), or a smaller network. Resume the run to continue from its checkpoint of step 3 (on this or another backend).',
    )
    const last = runCheckpoints(join(dir, 'oom')).last
    expect((await loadCheckpoint(last)).step).toBe(3)
    const resumed = await run(command('oom', {}, { resumeFrom: last }))
    expect(resumed.outcome).toBe('finished')
    const a = await loadCheckpoint(runCheckpoints(join(dir, 'plain-whole')).last)
    const b = await loadCheckpoint(last)
    let worst = 0
    a.weights.forEach((t, i) => t.data.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b.weights[i].data[j])))))
    expect(worst).toBeLessThan(1e-6)
  })
})
