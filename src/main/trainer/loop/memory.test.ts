import * as tf from '@tensorflow/tfjs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema } from '../../../shared/run-config'
import type { TrainerMessage } from '../../../shared/trainer-protocol'
import { selectBackend } from '../backend'
import { writeTinySnapshot } from '../data/tiny-snapshot.fixture'
import { trainRun } from './train'

// A run of 80,000 steps must not leak a tensor per step. Measured on the wasm backend: the cpu
// backend's conv filter gradient takes ~0.4 s per step of this net, so 500 steps there would take
// minutes; the tensor bookkeeping checked here is the engine's, the same on every backend.

const dir = await mkdtemp(join(tmpdir(), 'train-memory-test-'))
let snapshotBase = ''
beforeAll(async () => {
  await selectBackend('wasm')
  snapshotBase = (await writeTinySnapshot(join(dir, 'data'), { perDataset: 10 })).base
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('training memory', () => {
  it('keeps the number of live tensors flat over 500 steps, validations and checkpoints included', async () => {
    const config = RunConfigSchema.parse({
      method: 'sjmt',
      network: 'resnet-8',
      inputSize: 8,
      batchSize: 4,
      steps: 500,
      validateEvery: 100,
      checkpointEvery: 100,
      backend: 'wasm',
    })
    const before = tf.memory().numTensors
    const atCheckpoint: number[] = []
    const send = (m: TrainerMessage): void => {
      if (m.type === 'checkpoint' && !m.best) atCheckpoint.push(tf.memory().numTensors)
    }
    const outcome = await trainRun(
      {
        type: 'train',
        runId: 1,
        runDir: join(dir, 'run'),
        snapshot: snapshotBase,
        config,
        cacheDir: join(dir, 'cache'),
        predictAfter: true,
      },
      send,
      { backend: { name: 'wasm', backends: [] }, stopRequested: () => false },
    )
    expect(outcome).toBe('finished')
    expect(atCheckpoint).toHaveLength(5)
    expect(new Set(atCheckpoint).size).toBe(1)
    expect(tf.memory().numTensors).toBe(before)
  })
})
