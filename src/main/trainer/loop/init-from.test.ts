import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema } from '../../../shared/run-config'
import type { TrainerMessage } from '../../../shared/trainer-protocol'
import { selectBackend } from '../backend'
import { loadCheckpoint, saveCheckpoint } from '../checkpoint'
import { writeTinySnapshot } from '../data/tiny-snapshot.fixture'
import { prepareRun, type TrainCommand } from './prepare'
import { captureState } from './state'
import { networkForRun } from './train-on-batch'

// The paper starts every network from one trained on FER2013: a new run copies the trunk of an
// earlier one, and keeps fresh output layers where the label space differs.

const dir = await mkdtemp(join(tmpdir(), 'init-from-test-'))
let snapshotBase = ''
beforeAll(async () => {
  await selectBackend('wasm')
  snapshotBase = (await writeTinySnapshot(join(dir, 'data'), { perDataset: 6 })).base
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const config = RunConfigSchema.parse({ method: 'sjmt', network: 'resnet-8', inputSize: 8, backend: 'wasm' })

describe('initialising from another run', () => {
  it('loads the weights whose name and shape match, keeps a differing head fresh, and says so', async () => {
    // A "pre-trained" network of another seed, with a 2-class union head (this run's has 5).
    const other = { ...config, seed: 99 }
    const pre = networkForRun(other, [
      { head: 'union', datasetIndex: null, columns: [0, 1], softmax: [], sigmoid: [0, 1] },
    ])
    const path = join(dir, 'pretrained.ckpt')
    await saveCheckpoint(path, {
      step: 100,
      epoch: 3,
      bestScore: 0.4,
      config: other,
      classes: [
        { code: 'happy', kind: 'emotion' },
        { code: 'sad', kind: 'emotion' },
      ],
      ...(await captureState(pre, null)),
    })
    pre.dispose()

    const messages: TrainerMessage[] = []
    const command: TrainCommand = {
      type: 'train',
      runId: 2,
      runDir: join(dir, 'run'),
      snapshot: snapshotBase,
      config,
      cacheDir: join(dir, 'cache'),
      predictAfter: false,
      initFrom: path,
    }
    const run = await prepareRun(command, (m) => messages.push(m))
    try {
      expect(run.step).toBe(0)
      const log = messages.find((m) => m.type === 'log' && m.message.startsWith('initialised'))
      const total = run.net.trainable.size + run.net.state.size
      expect(log).toMatchObject({
        level: 'info',
        message: expect.stringContaining(`initialised ${total - 2} of ${total} weight tensors from ${path}`),
      })
      expect(log).toMatchObject({
        message: expect.stringContaining('head/union/kernel (shape [64, 2] there, [64, 5] here)'),
      })
      const saved = await loadCheckpoint(path)
      const stem = saved.weights.find((t) => t.name === 'stem/conv/kernel')!
      expect(Array.from(run.net.trainable.get('stem/conv/kernel')!.dataSync())).toEqual(Array.from(stem.data))
      const mean = saved.batchNorm.find((t) => t.name === 'stem/bn/moving_mean')!
      expect(Array.from(run.net.state.get('stem/bn/moving_mean')!.dataSync())).toEqual(Array.from(mean.data))
    } finally {
      run.trainStep.dispose()
      run.net.dispose()
    }
  })

  it('refuses a checkpoint that shares no weight with the network, naming both', async () => {
    const vgg = { ...config, network: 'vgg-small' as const }
    const pre = networkForRun(vgg, [{ head: 'other', datasetIndex: null, columns: [0], softmax: [], sigmoid: [0] }])
    const path = join(dir, 'vgg.ckpt')
    await saveCheckpoint(path, {
      step: 1,
      epoch: 0,
      bestScore: null,
      config: vgg,
      classes: [{ code: 'happy', kind: 'emotion' }],
      ...(await captureState(pre, null)),
    })
    pre.dispose()
    const command: TrainCommand = {
      type: 'train',
      runId: 2,
      runDir: join(dir, 'run2'),
      snapshot: snapshotBase,
      config,
      cacheDir: join(dir, 'cache'),
      predictAfter: false,
      initFrom: path,
    }
    await expect(prepareRun(command, () => {})).rejects.toThrow(
      /none of its weights fits this network \(it is a vgg-small .* this run is a resnet-8/,
    )
  })
})
