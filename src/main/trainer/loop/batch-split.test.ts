import * as tf from '@tensorflow/tfjs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema } from '../../../shared/run-config'
import type { TrainerMessage } from '../../../shared/trainer-protocol'
import { selectBackend } from '../backend'
import { plainBatch } from '../data/batch'
import { loadImageSet } from '../data/image-set'
import { writeTinySnapshot } from '../data/tiny-snapshot.fixture'
import { headViews, readSnapshot, rowsOf } from '../data/snapshot'
import { createTrainStep } from '../optimiser/momentum-sgd'
import { imagesPerPass, largestTensorBytesPerImage, passRanges } from './batch-split'
import { networkForRun, trainOnBatch } from './train-on-batch'
import { trainRun } from './train'

// A batch larger than the GPU's buffers is trained in passes. Checked on wasm (the arithmetic is
// the backend's, the bookkeeping ours) with a batch of two images repeated: each pass then sees
// exactly the two-image batch, so the passes must add up to the two-image step, bit for bit.

const dir = await mkdtemp(join(tmpdir(), 'batch-split-test-'))
let snapshotBase = ''
beforeAll(async () => {
  await selectBackend('wasm')
  snapshotBase = (await writeTinySnapshot(join(dir, 'data'), { perDataset: 10 })).base
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('a batch in passes', () => {
  it('plans equal passes under half the largest buffer', () => {
    expect(passRanges(10, 4)).toEqual([
      [0, 4],
      [4, 7],
      [7, 10],
    ])
    expect(passRanges(4, 4)).toEqual([[0, 4]])
    expect(imagesPerPass(4096, 2 ** 20, 128)).toBe(128)
    expect(imagesPerPass(4096, 4096 * 2 * 5, 128)).toBe(5)
    expect(imagesPerPass(4096, 100, 128)).toBe(1)
  })

  it("measures one image's largest tensor: a ResNet's first stage, 16 channels at full size", async () => {
    const snapshot = await readSnapshot(snapshotBase)
    const net = networkForRun(
      RunConfigSchema.parse({ network: 'resnet-8', inputSize: 8 }),
      headViews(snapshot, RunConfigSchema.parse({})),
    )
    expect(await largestTensorBytesPerImage(net)).toBe(8 * 8 * 16 * 4)
    net.dispose()
  })

  it('two passes over a repeated pair make the same update as one pass over the pair: weights, momentum, statistics, loss', async () => {
    const snapshot = await readSnapshot(snapshotBase)
    const config = RunConfigSchema.parse({ method: 'sjmt', network: 'resnet-8', inputSize: 8 })
    const views = headViews(snapshot, config)
    const images = await loadImageSet(snapshot, { size: 8, channels: 3, cacheDir: join(dir, 'cache') })
    const [a, b] = rowsOf(snapshot, 'train')
    const options = { learningRate: 0.1, weightDecay: 2e-4 }
    const results = []
    for (const [rows, perPass] of [
      [[a, b], undefined],
      [[a, b, a, b], 2],
    ] as const) {
      const net = networkForRun(config, views)
      const step = createTrainStep(net, { momentum: 0.9 })
      const losses: number[] = []
      const tensors: number[] = []
      for (let i = 0; i < 3; i++) {
        losses.push(
          (
            await trainOnBatch(net, step, views, plainBatch(images, snapshot, Int32Array.from(rows)), 5, {
              ...options,
              imagesPerPass: perPass,
            })
          ).loss,
        )
        tensors.push(tf.memory().numTensors)
      }
      // The first step makes the momentum buffers; after that, nothing is left behind.
      expect(tensors[2]).toBe(tensors[1])
      const read = async (vars: Map<string, tf.Tensor>) =>
        Promise.all([...vars.values()].map(async (v) => Array.from(await v.data())))
      const momentum = step.optimizerState()
      results.push({
        losses,
        weights: await read(net.trainable),
        stats: await read(net.state),
        momentum: await read(momentum),
      })
      tf.dispose([...momentum.values()])
      step.dispose()
      net.dispose()
    }
    const [one, passes] = results
    const worst = (x: number[][], y: number[][]) =>
      Math.max(...x.flatMap((t, i) => t.map((v, j) => Math.abs(v - y[i][j]))))
    expect(passes.losses[0]).toBeCloseTo(one.losses[0], 5)
    expect(passes.losses[2]).toBeCloseTo(one.losses[2], 5)
    expect(worst(passes.weights, one.weights)).toBeLessThan(1e-5)
    expect(worst(passes.momentum, one.momentum)).toBeLessThan(1e-5)
    // Moving means match; moving variances differ only by the unbiased factor m/(m-1) of 128 vs 256 positions.
    expect(worst(passes.stats, one.stats)).toBeLessThan(1e-2)
  })

  it('a run on a GPU whose largest buffer holds two images trains in passes and says so', async () => {
    const config = RunConfigSchema.parse({
      method: 'sjmt',
      network: 'resnet-8',
      inputSize: 8,
      batchSize: 4,
      steps: 2,
      validateEvery: 2,
      checkpointEvery: 2,
      backend: 'wasm',
    })
    const messages: TrainerMessage[] = []
    const outcome = await trainRun(
      {
        type: 'train',
        runId: 1,
        runDir: join(dir, 'run'),
        snapshot: snapshotBase,
        config,
        cacheDir: join(dir, 'cache'),
        predictAfter: false,
      },
      (m) => messages.push(m),
      { backend: { name: 'wasm', backends: [], maxBufferBytes: 8 * 8 * 16 * 4 * 2 * 2 }, stopRequested: () => false },
    )
    expect(outcome).toBe('finished')
    expect(messages).toContainEqual({
      type: 'log',
      level: 'info',
      message:
        "each batch of 4 is trained in passes of at most 2 images: one image's largest tensor takes 4 KiB, and the GPU's largest buffer is 16 KiB",
    })
  })
})
