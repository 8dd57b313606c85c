import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchLossModule, maskedSigmoidLoss } from '../../../../../bench/training-loss'
import { buildNetwork, NetworkSpec } from '../../network'
import { createTrainStep } from '../../optimiser/momentum-sgd'
import { activateWasm } from '../wasm'
import { DataParallelTrainer, ParallelBatch, shardRows } from './pool'

// 'idle' is a head the loss never reads: no worker gets a gradient for it.
const SPEC: NetworkSpec = {
  arch: 'resnet-8',
  inputSize: 16,
  channels: 3,
  heads: [
    { name: 'out', units: 4 },
    { name: 'idle', units: 2 },
  ],
  seed: 9,
}
const N = 6

function batch(seed: number): ParallelBatch {
  const x = tf.randomNormal([N, 16, 16, 3], 0, 1, 'float32', seed)
  const labels = tf.cast(tf.greater(tf.randomUniform([N, 4], 0, 1, 'float32', seed + 1), 0.5), 'float32')
  const out = {
    x: { data: x.dataSync() as Float32Array, shape: x.shape },
    targets: {
      labels: { data: labels.dataSync() as Float32Array, shape: labels.shape },
      mask: { data: new Float32Array(N * 4).fill(1), shape: [N, 4] },
    },
  }
  tf.dispose([x, labels])
  return out
}

/** What two workers should compute, in one process: the mean of the two shards' gradients. */
async function emulate(steps: ParallelBatch[], lr: number): Promise<Map<string, Float32Array>> {
  const net = buildNetwork(SPEC)
  const step = createTrainStep(net, { momentum: 0.9 })
  for (const b of steps) {
    const shardGrads: Map<string, tf.Tensor>[] = []
    for (const [from, to] of shardRows(N, 2)) {
      const rows = (p: { data: Float32Array; shape: number[] }) =>
        tf.tidy(() => tf.slice(tf.tensor(p.data, p.shape), from, to - from))
      const x = rows(b.x) as tf.Tensor4D
      const targets = { labels: rows(b.targets.labels), mask: rows(b.targets.mask) }
      const { grads } = await step.gradients(x, (logits) => maskedSigmoidLoss(logits, targets))
      tf.dispose([x, targets.labels, targets.mask])
      shardGrads.push(grads)
    }
    const mean = new Map(
      [...shardGrads[0]].map(([k, g]) => [k, tf.tidy(() => tf.mul(tf.add(g, shardGrads[1].get(k)!), 0.5))]),
    )
    step.apply(mean, lr)
    tf.dispose([...mean.values(), ...shardGrads.flatMap((g) => [...g.values()])])
  }
  const out = new Map([...net.trainable].map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]))
  step.dispose()
  net.dispose()
  return out
}

describe('DataParallelTrainer', () => {
  let trainer: DataParallelTrainer
  beforeAll(async () => {
    await activateWasm()
    trainer = await DataParallelTrainer.start({ workers: 2, spec: SPEC, momentum: 0.9, loss: benchLossModule() })
  })
  afterAll(async () => {
    await trainer?.close()
  })

  it('keeps identical weights in every worker, matches averaged shard gradients, leaves an unused head alone', async () => {
    const steps = [batch(1), batch(2)]
    const want = await emulate(
      steps.map((b) => structuredClone(b)),
      0.05,
    )
    for (const b of steps) {
      const loss = await trainer.step(b, 0.05)
      expect(Number.isFinite(loss)).toBe(true)
    }
    const [w0, w1] = await Promise.all([trainer.weights(0), trainer.weights(1)])
    for (const [name, v] of w0.trainable) expect(Array.from(w1.trainable.get(name)!), name).toEqual(Array.from(v))
    for (const [name, v] of w0.state) expect(Array.from(w1.state.get(name)!), name).toEqual(Array.from(v))
    expect(w0.trainable.get('head/idle/kernel')).toEqual(want.get('head/idle/kernel'))
    for (const [name, v] of want) {
      const got = w0.trainable.get(name)!
      const worst = Math.max(...Array.from(v, (x, i) => Math.abs(x - got[i])))
      expect(worst, name).toBeLessThan(1e-5)
    }
  })

  it('refuses a batch smaller than the number of workers', async () => {
    const b = batch(3)
    b.x = { data: b.x.data.slice(0, 16 * 16 * 3), shape: [1, 16, 16, 3] }
    await expect(trainer.step(b, 0.05)).rejects.toThrow(/cannot be split across 2 workers/)
  })
})

describe('shardRows', () => {
  it('splits rows evenly, the first shards taking the remainder', () => {
    expect(shardRows(7, 3)).toEqual([
      [0, 3],
      [3, 5],
      [5, 7],
    ])
  })
})
