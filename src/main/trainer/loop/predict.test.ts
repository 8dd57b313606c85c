import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema } from '../../../shared/run-config'
import type { TrainerMessage } from '../../../shared/trainer-protocol'
import { selectBackend } from '../backend'
import { saveCheckpoint } from '../checkpoint'
import { loadImageSet } from '../data/image-set'
import { TINY_CLASSES, writeTinySnapshot } from '../data/tiny-snapshot.fixture'
import type { TrainingSnapshot } from '../data/snapshot'
import { predictionViews, runPrediction, streamPredictions } from './predict'
import { captureState } from './state'
import { networkForRun } from './train-on-batch'

const dir = await mkdtemp(join(tmpdir(), 'predict-test-'))
let tiny: { base: string; snapshot: TrainingSnapshot }
beforeAll(async () => {
  await selectBackend('wasm')
  tiny = await writeTinySnapshot(join(dir, 'data'), { perDataset: 10 })
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const config = RunConfigSchema.parse({ method: 'sjmt', network: 'resnet-8', inputSize: 8, backend: 'wasm' })
const backend = { name: 'wasm' as const, backends: [] }

/** A checkpoint of an untrained sjmt network over `classes`. */
async function checkpointOver(classes: { code: string; kind: 'emotion' | 'au' }[], path: string): Promise<void> {
  const views = predictionViews({ classes, config }, tiny.snapshot)
  const net = networkForRun(config, views)
  await saveCheckpoint(path, {
    step: 12,
    epoch: 1,
    bestScore: 0.5,
    config,
    classes,
    ...(await captureState(net, null)),
  })
  net.dispose()
}

describe('prediction', () => {
  it('predicts every image of the snapshot over its classes; classes the model does not know are NaN', async () => {
    // The model knows AU25 (not in the snapshot) and not 'angry' (in the snapshot).
    const modelClasses = [...TINY_CLASSES.filter((c) => c.code !== 'angry'), { code: 'AU25', kind: 'au' as const }]
    const path = join(dir, 'other-space.ckpt')
    await checkpointOver(modelClasses, path)
    const messages: TrainerMessage[] = []
    await runPrediction(
      {
        type: 'predict',
        runId: 3,
        runDir: join(dir, 'run'),
        snapshot: tiny.base,
        checkpoint: path,
        cacheDir: join(dir, 'cache'),
        backend: 'wasm',
      },
      (m) => messages.push(m),
      backend,
    )
    expect(messages.map((m) => m.type)).toEqual(['started', 'log', 'predictions', 'finished'])
    // Which workers predicted and why.
    expect(messages[1]).toMatchObject({ type: 'log', message: expect.stringMatching(/^\d+ workers?: /) })
    const p = messages[2] as Extract<TrainerMessage, { type: 'predictions' }>
    expect(p.classCodes).toEqual(TINY_CLASSES.map((c) => c.code))
    expect(p.imageIds).toEqual(tiny.snapshot.images.map((i) => i.id))
    expect(p).toMatchObject({ done: 20, total: 20, checkpoint: path })
    expect(p.probabilities).toHaveLength(20 * 5)
    for (let r = 0; r < 20; r++) {
      const row = p.probabilities.slice(r * 5, r * 5 + 5)
      expect(Number.isNaN(row[2])).toBe(true) // angry
      for (const v of [row[0], row[1], row[3], row[4]]) expect(v > 0 && v < 1).toBe(true)
    }
    expect(messages[3]).toMatchObject({ type: 'finished', step: 12, bestScore: 0.5, checkpoint: path })
  })

  it('streams in batches, in evaluation mode: the same images give the same numbers every time', async () => {
    const views = predictionViews({ classes: TINY_CLASSES, config }, tiny.snapshot)
    const net = networkForRun(config, views)
    const images = await loadImageSet(tiny.snapshot, { size: 8, channels: 3, cacheDir: join(dir, 'cache') })
    const runOnce = async (): Promise<Extract<TrainerMessage, { type: 'predictions' }>[]> => {
      const out: TrainerMessage[] = []
      await streamPredictions(
        { net, views, classes: TINY_CLASSES, predictor: null },
        images,
        tiny.snapshot,
        'x.ckpt',
        (m) => out.push(m),
        { batchSize: 8 },
      )
      return out as Extract<TrainerMessage, { type: 'predictions' }>[]
    }
    const first = await runOnce()
    expect(first.map((m) => [m.done, m.total, m.imageIds.length])).toEqual([
      [8, 20, 8],
      [16, 20, 8],
      [20, 20, 4],
    ])
    expect((await runOnce()).flatMap((m) => m.probabilities)).toEqual(first.flatMap((m) => m.probabilities))
    net.dispose()
  })

  it('stops between batches when asked: what was predicted is sent, then `stopped`, never `finished`', async () => {
    const views = predictionViews({ classes: TINY_CLASSES, config }, tiny.snapshot)
    const net = networkForRun(config, views)
    const images = await loadImageSet(tiny.snapshot, { size: 8, channels: 3, cacheDir: join(dir, 'cache') })
    const out: TrainerMessage[] = []
    const model = { net, views, classes: TINY_CLASSES, predictor: null }
    const stopAfterOne = () => out.length >= 1
    expect(
      await streamPredictions(model, images, tiny.snapshot, 'x.ckpt', (m) => out.push(m), {
        batchSize: 8,
        stopRequested: stopAfterOne,
      }),
    ).toBe(false)
    expect(out).toMatchObject([{ type: 'predictions', done: 8, total: 20 }])
    net.dispose()

    const path = join(dir, 'stop.ckpt')
    await checkpointOver([...TINY_CLASSES], path)
    const messages: TrainerMessage[] = []
    const command = {
      type: 'predict' as const,
      runId: 3,
      runDir: join(dir, 'run'),
      snapshot: tiny.base,
      checkpoint: path,
      cacheDir: join(dir, 'cache'),
      backend: 'wasm' as const,
    }
    expect(
      await runPrediction(
        command,
        (m) => messages.push(m),
        backend,
        () => true,
      ),
    ).toBe('stopped')
    expect(messages.map((m) => m.type)).toEqual(['started', 'log', 'stopped'])
    expect(messages.at(-1)).toEqual({ type: 'stopped', step: 12, checkpoint: path })
  })
})
