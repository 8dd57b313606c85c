import * as tf from '@tensorflow/tfjs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackendName } from '../../../shared/contract/app'
import { RunConfigSchema, type RunConfigInput } from '../../../shared/run-config'
import type { TrainerMessage } from '../../../shared/trainer-protocol'
import { selectBackend } from '../backend'
import { useSwiftShader } from '../backend/webgpu-test-env.fixture'
import { loadCheckpoint } from '../checkpoint'
import { writeTinySnapshot } from '../data/tiny-snapshot.fixture'
import { explainFailure } from '../process/failure'
import { runCheckpoints, type TrainCommand } from './prepare'
import { trainRun } from './train'

// Training on the webgpu backend, on SwiftShader's software adapter (here and in CI): a few
// hundred times slower than a GPU, so the runs are tiny (resnet-8, 8 px, batch 4). The device-loss
// test destroys this process's GPU device, so it comes last.

useSwiftShader()
const dir = await mkdtemp(join(tmpdir(), 'webgpu-training-test-'))
let snapshotBase = ''
beforeAll(async () => {
  snapshotBase = (await writeTinySnapshot(join(dir, 'data'), { perDataset: 10 })).base
})
afterAll(() => rm(dir, { recursive: true, force: true }))

function command(
  runDir: string,
  backend: BackendName,
  config: RunConfigInput = {},
  extra: Partial<TrainCommand> = {},
): TrainCommand {
  const base: RunConfigInput = {
    method: 'sjmt',
    network: 'resnet-8',
    inputSize: 8,
    batchSize: 4,
    learningRate: 0.05,
    steps: 20,
    validateEvery: 10,
    checkpointEvery: 10,
  }
  return {
    type: 'train',
    runId: 1,
    runDir: join(dir, runDir),
    snapshot: snapshotBase,
    config: RunConfigSchema.parse({ ...base, ...config, backend }),
    cacheDir: join(dir, 'cache'),
    predictAfter: false,
    ...extra,
  }
}

async function run(
  cmd: TrainCommand,
  options: { stopBefore?: number; onMessage?: (m: TrainerMessage) => void } = {},
): Promise<{ outcome: string; messages: TrainerMessage[] }> {
  const backend = cmd.config.backend as BackendName
  await selectBackend(backend)
  expect(tf.getBackend()).toBe(backend)
  const messages: TrainerMessage[] = []
  let polls = 0
  const outcome = await trainRun(
    cmd,
    (m) => {
      messages.push(m)
      options.onMessage?.(m)
    },
    {
      backend: { name: backend, backends: [] },
      stopRequested: () => options.stopBefore !== undefined && ++polls > options.stopBefore,
    },
  )
  return { outcome, messages }
}

const progress = (messages: TrainerMessage[]) =>
  messages.filter((m): m is Extract<TrainerMessage, { type: 'progress' }> => m.type === 'progress')

/** Largest difference between two checkpoints' weights, over the largest weight. */
async function weightGap(a: string, b: string): Promise<number> {
  const [x, y] = [await loadCheckpoint(a), await loadCheckpoint(b)]
  let gap = 0
  let scale = 0
  x.weights.forEach((t, i) =>
    t.data.forEach((v, j) => {
      gap = Math.max(gap, Math.abs(v - y.weights[i].data[j]))
      scale = Math.max(scale, Math.abs(v))
    }),
  )
  return gap / scale
}

describe('training on webgpu', () => {
  it('runs 20 SJMT steps on the GPU backend and the loss falls', async () => {
    const { outcome, messages } = await run(command('learns', 'webgpu'))
    expect(outcome).toBe('finished')
    const losses = progress(messages).map((p) => p.loss)
    expect(losses).toHaveLength(20)
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)) * 0.8)
    expect(messages.at(-1)).toMatchObject({ type: 'finished', step: 20 })
  }, 180_000)

  it('resumes a wasm checkpoint on webgpu and that one on wasm, on the path of a run that never left wasm', async () => {
    const whole = await run(command('wasm-only', 'wasm', { steps: 12, checkpointEvery: 4 }))
    expect(whole.outcome).toBe('finished')

    const mixed = 'mixed'
    const last = runCheckpoints(join(dir, mixed)).last
    expect((await run(command(mixed, 'wasm', { steps: 12, checkpointEvery: 4 }), { stopBefore: 4 })).outcome).toBe(
      'stopped',
    )
    const onGpu = await run(command(mixed, 'webgpu', { steps: 12, checkpointEvery: 4 }, { resumeFrom: last }), {
      stopBefore: 4,
    })
    expect(onGpu.messages[0]).toMatchObject({ type: 'started', step: 4 })
    expect(onGpu.outcome).toBe('stopped')
    expect((await loadCheckpoint(last)).step).toBe(8)
    const back = await run(command(mixed, 'wasm', { steps: 12, checkpointEvery: 4 }, { resumeFrom: last }))
    expect(back.outcome).toBe('finished')
    expect((await loadCheckpoint(last)).step).toBe(12)

    // Four of the twelve steps on another backend: float rounding differs, the run does not.
    const gap = await weightGap(runCheckpoints(join(dir, 'wasm-only')).last, last)
    expect(gap).toBeLessThan(1e-3)
    expect(gap).toBeGreaterThan(0)
  }, 180_000)

  it('keeps tensors and GPU buffers flat over 40 steps with validations and checkpoints', async () => {
    // 500 steps as on the other backends would take ten minutes on the software adapter; 40 steps
    // cover every kind of step (plain, validation, checkpoint) many times over.
    await selectBackend('webgpu')
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number }
    const before = { tensors: tf.memory().numTensors, buffers: backend.numDataIds() }
    const atCheckpoint: { tensors: number; buffers: number }[] = []
    const { outcome } = await run(command('memory', 'webgpu', { steps: 40, validateEvery: 10, checkpointEvery: 10 }), {
      onMessage: (m) => {
        if (m.type === 'checkpoint' && !m.best)
          atCheckpoint.push({ tensors: tf.memory().numTensors, buffers: backend.numDataIds() })
      },
    })
    expect(outcome).toBe('finished')
    expect(atCheckpoint).toHaveLength(4)
    expect(new Set(atCheckpoint.map((c) => c.tensors)).size).toBe(1)
    expect(new Set(atCheckpoint.map((c) => c.buffers)).size).toBe(1)
    expect(tf.memory().numTensors).toBe(before.tensors)
    expect(backend.numDataIds()).toBe(before.buffers)
  }, 300_000)

  it('ends a run whose GPU is lost with the reason and the checkpoint to resume from, which another backend resumes', async () => {
    const cmd = command('lost', 'webgpu', { steps: 10, checkpointEvery: 2, validateEvery: 100 })
    const error = await run(cmd, {
      onMessage: (m) => {
        // As a driver reset would: the device goes away between two steps.
        if (m.type === 'progress' && m.step === 3)
          (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy()
      },
    }).catch((e: unknown) => e)
    const { reason } = explainFailure(error)
    expect(reason).toMatch(
      /^at step 4, the GPU device was lost \(destroyed.*Resume the run to continue from its checkpoint of step 2 /,
    )
    const resumed = await run({
      ...cmd,
      config: { ...cmd.config, backend: 'wasm' },
      resumeFrom: runCheckpoints(join(dir, 'lost')).last,
    })
    expect(resumed.messages[0]).toMatchObject({ type: 'started', step: 2 })
    expect(resumed.outcome).toBe('finished')
  }, 180_000)
})
