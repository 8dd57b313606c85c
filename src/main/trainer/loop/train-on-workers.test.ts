import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainingMethod } from '../../../shared/run-config'
import { selectBackend } from '../backend'
import { writeTinySnapshot } from '../data/tiny-snapshot.fixture'
import { prepareRun, type TrainCommand } from './prepare'
import { trainRun } from './train'
import { loadCheckpoint } from '../checkpoint'
import { plainBatch } from '../data/batch'
import { batchProbabilities } from './evaluate'
import type { TrainerMessage } from '../../../shared/trainer-protocol'
import {
  curve,
  expectSameTraining,
  inThread,
  onWorkers,
  runPairFor,
  STEPS,
  trainCommand,
  workersFor,
} from '../../../../test/helpers/train-on-workers'

// Data-parallel steps against the trainer's own thread, on wasm (what the workers run). Two
// workers on shards of 16 images, batch norm synchronised (every worker normalises with the whole
// batch's statistics, its gradient that of the whole batch), train the single-thread run of
// 32-image batches: equal up to float rounding (the sums are added in another order).

const BATCH = 32

const dir = await mkdtemp(join(tmpdir(), 'train-on-workers-test-'))
let snapshot = ''
beforeAll(async () => {
  await selectBackend('wasm')
  snapshot = (await writeTinySnapshot(join(dir, 'data'), { perDataset: 24 })).base
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const command = (name: string, method: TrainingMethod, threads?: number): TrainCommand =>
  trainCommand(dir, snapshot, name, { method, batchSize: BATCH, threads })

describe.each(['sjmt', 'multitask'] as const)('two data-parallel workers, %s', (method) => {
  const pair = runPairFor((which) => command(`${method}-${which}`, method))

  it('trains exactly the whole-batch run of one thread (synchronised batch norm)', async () => {
    const { whole, parallel, workers } = pair()
    expectSameTraining(await curve(parallel, onWorkers(workers)), await curve(whole, inThread(BATCH)), method)
  })
})

describe('a data-parallel worker that dies mid-step', () => {
  it('fails the step with the reason, and every later call at once', async () => {
    const run = await prepareRun(command('dies', 'sjmt'), () => {})
    const workers = await workersFor(run, 2)
    try {
      const step = onWorkers(workers)(run, 0)
      await workers.threads[1].terminate()
      await expect(step).rejects.toThrow(/data-parallel worker 2 stopped \(exit code 1\)/)
      await expect(onWorkers(workers)(run, 1)).rejects.toThrow(/data-parallel worker 2 stopped/)
    } finally {
      await workers.close()
      run.trainStep.dispose()
      run.net.dispose()
    }
  })
})

/** Polls `found` until it gives a value (not undefined or false), for at most 20 s. */
async function until<T>(found: () => T | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const value = found()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

describe('a data-parallel worker that dies while another waits for its batch statistics', () => {
  it('fails the step with its reason and releases the one waiting', async () => {
    const run = await prepareRun(command('dies-mid-exchange', 'sjmt'), () => {})
    const workers = await workersFor(run, 2)
    try {
      const step = onWorkers(workers)(run, 0)
      step.catch(() => {})
      const waiting = await until(() => [0, 1].find((i) => workers.statistics.waiting(i)), 'a worker at the barrier')
      const other = 1 - waiting
      await workers.threads[other].terminate()
      await expect(step).rejects.toThrow(new RegExp(`data-parallel worker ${other + 1} stopped \\(exit code 1\\)`))
      await until(() => !workers.statistics.waiting(waiting), 'the waiting worker released')
      await expect(onWorkers(workers)(run, 1)).rejects.toThrow(/stopped/)
    } finally {
      await workers.close()
      run.trainStep.dispose()
      run.net.dispose()
    }
  })
})

describe('a run on 2 threads', () => {
  it('says why it uses 2 workers, trains, validates, checkpoints, resumes and predicts every image', async () => {
    const backend = { name: 'wasm' as const, backends: [] }
    const messages: TrainerMessage[] = []
    const first = command('threads-2', 'sjmt', 2)
    let polls = 0
    const stopped = await trainRun(first, (m) => messages.push(m), { backend, stopRequested: () => ++polls > 5 })
    expect(stopped).toBe('stopped')
    expect(messages).toContainEqual({ type: 'log', level: 'info', message: '2 workers: asked for 2 threads' })
    const resumed: TrainerMessage[] = []
    const resume = { ...first, resumeFrom: join(first.runDir, 'last.ckpt'), predictAfter: true }
    expect(await trainRun(resume, (m) => resumed.push(m), { backend, stopRequested: () => false })).toBe('finished')
    expect(resumed[0]).toMatchObject({ type: 'started', step: 5 })
    expect(resumed.filter((m) => m.type === 'metrics').map((m) => m.step)).toEqual([8])
    const predicted = resumed.filter((m) => m.type === 'predictions')
    expect(predicted.at(-1)).toMatchObject({ done: 48, total: 48 })
    expect((await loadCheckpoint(join(first.runDir, 'last.ckpt'))).step).toBe(STEPS)
  })

  it('predicts on the workers what the trainer predicts in its own thread', async () => {
    const run = await prepareRun(command('predict', 'sjmt'), () => {})
    const workers = await workersFor(run, 2)
    try {
      await curve(run, inThread(BATCH))
      workers.weightsChanged()
      const batch = plainBatch(
        run.images,
        run.snapshot,
        Int32Array.from({ length: 11 }, (_, i) => i * 3),
      )
      const here = { sum: 0 }
      const there = { sum: 0 }
      const want = await batchProbabilities(run.net, run.views, batch, 5, here)
      const got = await workers.probabilities(run.net, batch, 5, there)
      expect(Math.max(...got.map((p, i) => (Number.isNaN(p) ? 0 : Math.abs(p - want[i]))))).toBeLessThan(1e-5)
      expect(Array.from(got, Number.isNaN)).toEqual(Array.from(want, Number.isNaN))
      expect(there.sum).toBeCloseTo(here.sum, 3)
    } finally {
      await workers.close()
      run.trainStep.dispose()
      run.net.dispose()
    }
  })
})
