import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { RunConfigSchema } from './src/shared/run-config'
import { selectBackend } from './src/main/trainer/backend'
import { useSwiftShader } from './src/main/trainer/backend/webgpu-test-env.fixture'
import { writeTinySnapshot } from './src/main/trainer/data/tiny-snapshot.fixture'
import { trainRun } from './src/main/trainer/loop/train'
useSwiftShader()
await selectBackend('webgpu')
const dir = await mkdtemp(join(tmpdir(), 'wg-'))
const snap = (await writeTinySnapshot(join(dir, 'data'), { perDataset: 20 })).base
const config = RunConfigSchema.parse({ method: 'sjmt', network: 'resnet-8', inputSize: 8, batchSize: 4, learningRate: 0.05, steps: 20, validateEvery: 10, checkpointEvery: 10, backend: 'webgpu' })
const t0 = performance.now()
const before = tf.memory().numTensors
await trainRun({ type: 'train', runId: 1, runDir: join(dir, 'run'), snapshot: snap, config, cacheDir: join(dir, 'cache'), predictAfter: true }, (m) => { if (m.type === 'progress' || m.type === 'metrics' || m.type === 'failed' || m.type === 'finished') console.log(Math.round(performance.now() - t0), JSON.stringify(m).slice(0, 200)) }, { backend: { name: 'webgpu', backends: [] }, stopRequested: () => false })
console.log('tensors', before, tf.memory().numTensors, tf.memory())
