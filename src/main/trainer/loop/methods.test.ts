import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema, type RunConfigInput } from '../../../shared/run-config'
import type { TrainerMessage } from '../../../shared/trainer-protocol'
import * as tf from '@tensorflow/tfjs'
import { selectBackend } from '../backend'
import { plainBatch } from '../data/batch'
import { loadImageSet } from '../data/image-set'
import { writeTinySnapshot } from '../data/tiny-snapshot.fixture'
import { headViews, readSnapshot, rowsOf } from '../data/snapshot'
import { createTrainStep } from '../optimiser/momentum-sgd'
import type { TrainCommand } from './prepare'
import { networkForRun, trainOnBatch } from './train-on-batch'
import { trainRun } from './train'

// Each of the paper's three strategies trains through the same loop; what differs is the heads,
// the batches and what the metrics can score.

const dir = await mkdtemp(join(tmpdir(), 'train-methods-test-'))
let snapshotBase = ''
beforeAll(async () => {
  await selectBackend('wasm')
  snapshotBase = (await writeTinySnapshot(join(dir, 'data'), { perDataset: 10 })).base
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function train(name: string, config: RunConfigInput): Promise<TrainerMessage[]> {
  const base = {
    network: 'resnet-8',
    inputSize: 8,
    batchSize: 4,
    steps: 4,
    validateEvery: 4,
    checkpointEvery: 4,
    backend: 'wasm',
  } as const
  const cmd: TrainCommand = {
    type: 'train',
    runId: 1,
    runDir: join(dir, name),
    snapshot: snapshotBase,
    config: RunConfigSchema.parse({ ...base, ...config }),
    cacheDir: join(dir, 'cache'),
    predictAfter: true,
  }
  const messages: TrainerMessage[] = []
  const outcome = await trainRun(cmd, (m) => messages.push(m), {
    backend: { name: 'wasm', backends: [] },
    stopRequested: () => false,
  })
  expect(outcome).toBe('finished')
  return messages
}

const of = <T extends TrainerMessage['type']>(messages: TrainerMessage[], type: T) =>
  messages.filter((m): m is Extract<TrainerMessage, { type: T }> => m.type === type)

describe('training methods', () => {
  it('multitask: one head per dataset, batches taking turns, both heads reported', async () => {
    const messages = await train('multitask', { method: 'multitask' })
    // A report covers the steps since the previous one (at most every 250 ms): on a slow machine that
    // is a single step, on one head, so the heads are looked for over the whole run.
    const heads = new Set(of(messages, 'progress').flatMap((p) => Object.keys(p.lossByHead)))
    expect([...heads].sort()).toEqual(['Tiny-AUs', 'Tiny-Emotions'])
    const metrics = of(messages, 'metrics')[0]
    expect(metrics.values.emotionAccuracy).not.toBeNull()
    expect(metrics.values.auF1Mean === null || typeof metrics.values.auF1Mean === 'number').toBe(true)
    // Every image gets both heads' predictions: nothing is NaN.
    expect(
      of(messages, 'predictions')
        .flatMap((p) => p.probabilities)
        .some(Number.isNaN),
    ).toBe(false)
  })

  it("multitask: a step on one dataset leaves the other dataset's head and its momentum alone", async () => {
    const snapshot = await readSnapshot(snapshotBase)
    const config = RunConfigSchema.parse({ method: 'multitask', network: 'resnet-8', inputSize: 8 })
    const views = headViews(snapshot, config)
    const net = networkForRun(config, views)
    const trainStep = createTrainStep(net, { momentum: 0.9 })
    const images = await loadImageSet(snapshot, { size: 8, channels: 3, cacheDir: join(dir, 'cache') })
    const batchOf = (k: number) => plainBatch(images, snapshot, rowsOf(snapshot, 'train', k).subarray(0, 4))
    const read = (name: string) => Array.from(net.trainable.get(name)!.dataSync())
    const momentumOf = (name: string) => {
      const state = trainStep.optimizerState()
      const values = Array.from(state.get(name)!.dataSync())
      tf.dispose([...state.values()])
      return values
    }
    const options = { learningRate: 0.05, weightDecay: 2e-4 }
    await trainOnBatch(net, trainStep, views, batchOf(1), 5, options) // the AU head learns, and gets momentum
    const tensors = tf.memory().numTensors
    const auKernel = read('head/Tiny-AUs/kernel')
    const auMomentum = momentumOf('head/Tiny-AUs/kernel')
    const emotionKernel = read('head/Tiny-Emotions/kernel')
    const result = await trainOnBatch(net, trainStep, views, batchOf(0), 5, options)
    expect(Object.keys(result.lossByHead)).toEqual(['Tiny-Emotions'])
    expect(read('head/Tiny-AUs/kernel')).toEqual(auKernel)
    expect(momentumOf('head/Tiny-AUs/kernel')).toEqual(auMomentum)
    expect(read('head/Tiny-Emotions/kernel')).not.toEqual(emotionKernel)
    expect(tf.memory().numTensors).toBe(tensors)
    trainStep.dispose()
    net.dispose()
  })

  it("single: one network on one dataset; the other task's classes are predicted by nobody (NaN)", async () => {
    const messages = await train('single', { method: 'single', datasets: ['Tiny-AUs'] })
    expect(of(messages, 'started')[0]).toMatchObject({ trainImages: 7, valImages: 2 })
    const metrics = of(messages, 'metrics')[0]
    expect(metrics.values.emotionAccuracy).toBeNull()
    const batches = of(messages, 'predictions')
    const codes = batches[0].classCodes
    const p = batches.flatMap((b) => b.probabilities)
    const rows = p.length / codes.length
    expect(rows).toBe(20)
    for (let r = 0; r < rows; r++) {
      codes.forEach((code, j) =>
        expect(Number.isNaN(p[r * codes.length + j]), `${code} of row ${r}`).toBe(!code.startsWith('AU')),
      )
    }
  })
})
