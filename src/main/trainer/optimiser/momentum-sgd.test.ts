import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activateWasm } from '../backend/wasm'
import { buildNetwork, Network } from '../network'
import { backendHasMomentumStep, MOMENTUM_STEP } from './momentum-kernel'
import { createTrainStep, LossOf } from './momentum-sgd'

let net: Network
let x: tf.Tensor4D
let y: tf.Tensor2D
const lossOf: LossOf = (logits) => tf.losses.sigmoidCrossEntropy(y, logits.out) as tf.Scalar

function tinyNet(seed = 1): Network {
  return buildNetwork({ arch: 'resnet-8', inputSize: 16, channels: 3, heads: [{ name: 'out', units: 6 }], seed })
}

describe('createTrainStep', () => {
  beforeAll(async () => {
    await activateWasm()
    net = tinyNet()
    x = tf.randomNormal([4, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D
    y = tf.cast(tf.greater(tf.randomUniform([4, 6], 0, 1, 'float32', 2), 0.5), 'float32') as tf.Tensor2D
  })
  afterAll(() => {
    net.dispose()
    tf.dispose([x, y])
  })

  it('does not leak tensors or wasm buffers over many steps', async () => {
    const step = createTrainStep(net, { momentum: 0.9 })
    await step.step(x, lossOf, 0.01) // creates the momentum buffers
    const tensors = tf.memory().numTensors
    const buffers = tf.engine().backend.numDataIds()
    for (let i = 0; i < 10; i++) await step.step(x, lossOf, 0.01)
    expect(tf.memory().numTensors).toBe(tensors)
    expect(tf.engine().backend.numDataIds()).toBe(buffers)
    step.dispose()
  })

  it('lowers the loss on a fixed batch', async () => {
    const n = tinyNet(2)
    const step = createTrainStep(n, { momentum: 0.9 })
    const first = await step.step(x, lossOf, 0.05)
    let last = first
    for (let i = 0; i < 15; i++) last = await step.step(x, lossOf, 0.05)
    expect(last).toBeLessThan(first * 0.8)
    step.dispose()
    n.dispose()
  })

  it('applies v = momentum*v + g, w = w - lr*v', () => {
    const n = tinyNet(3)
    const step = createTrainStep(n, { momentum: 0.5 })
    const name = 'head/out/bias'
    const w0 = n.trainable.get(name)!.dataSync().slice()
    const g = new Map([...n.trainable].map(([k, v]) => [k, tf.onesLike(v)]))
    step.apply(g, 0.1) // v = 1, w = w0 - 0.1
    step.apply(g, 0.1) // v = 1.5, w = w0 - 0.25
    const w2 = n.trainable.get(name)!.dataSync()
    w0.forEach((v, i) => expect(w2[i]).toBeCloseTo(v - 0.25, 5))
    expect(Array.from(step.optimizerState().get(name)!.dataSync())).toEqual(new Array(6).fill(1.5))
    tf.dispose([...g.values()])
    step.dispose()
    n.dispose()
  })

  it('updates on wasm with one kernel per variable, equal to the tfjs ops on cpu', async () => {
    /** Weights and momentum after two updates with seeded gradients, on the active backend. */
    const twoUpdates = (): Map<string, Float32Array> => {
      const n = tinyNet(6)
      const step = createTrainStep(n, { momentum: 0.9 })
      const out = new Map<string, Float32Array>()
      for (const seed of [1, 2]) {
        const g = new Map(
          [...n.trainable].map(([k, v], i) => [k, tf.randomNormal(v.shape, 0, 1, 'float32', seed * 100 + i)]),
        )
        step.apply(g, 0.05)
        tf.dispose([...g.values()])
      }
      const state = step.optimizerState()
      for (const [k, v] of n.trainable) out.set(k, v.dataSync() as Float32Array)
      for (const [k, v] of state) out.set(`${k} momentum`, v.dataSync() as Float32Array)
      tf.dispose([...state.values()])
      step.dispose()
      n.dispose()
      return out
    }
    expect(backendHasMomentumStep()).toBe(true)
    const profile = await tf.profile(() => void twoUpdates())
    expect(profile.kernelNames).toContain(MOMENTUM_STEP)
    const got = twoUpdates()
    await tf.setBackend('cpu')
    expect(backendHasMomentumStep()).toBe(false)
    const want = twoUpdates()
    await activateWasm()
    expect([...got.keys()]).toEqual([...want.keys()])
    for (const [k, w] of want) {
      const scale = Math.max(1, ...Array.from(w, Math.abs))
      got.get(k)!.forEach((v, i) => expect(Math.abs(v - w[i]) / scale, k).toBeLessThan(1e-6))
    }
  })

  it('restores momentum from saved optimizer state, so a resumed run continues identically', async () => {
    const a = tinyNet(4)
    const b = tinyNet(4)
    const sa = createTrainStep(a, { momentum: 0.9 })
    await sa.step(x, lossOf, 0.05)
    // b gets a's weights and momentum after one step; then both take the same second step.
    for (const [k, v] of a.trainable) b.trainable.get(k)!.assign(v)
    for (const [k, v] of a.state) b.state.get(k)!.assign(v)
    const sb = createTrainStep(b, { momentum: 0.9 })
    const saved = sa.optimizerState()
    sb.loadOptimizerState(saved)
    tf.dispose([...saved.values()])
    const la = await sa.step(x, lossOf, 0.05)
    const lb = await sb.step(x, lossOf, 0.05)
    expect(lb).toBeCloseTo(la, 6)
    const wa = a.trainable.get('stem/conv/kernel')!.dataSync()
    const wb = b.trainable.get('stem/conv/kernel')!.dataSync()
    wa.forEach((v, i) => expect(wb[i]).toBeCloseTo(v, 6))
    ;[sa, sb, a, b].forEach((o) => o.dispose())
  })

  it('refuses optimizer state for unknown variables or of the wrong shape, by name', () => {
    const step = createTrainStep(net, { momentum: 0.9 })
    const bad = new Map([['nope/kernel', tf.zeros([1])]])
    expect(() => step.loadOptimizerState(bad)).toThrow(/unknown variable 'nope\/kernel'/)
    const wrong = new Map([['head/out/bias', tf.zeros([2])]])
    expect(() => step.loadOptimizerState(wrong)).toThrow(/'head\/out\/bias' has shape \[2\]/)
    tf.dispose([...bad.values(), ...wrong.values()])
    step.dispose()
  })

  it('leaves a head the loss does not use alone, weights and momentum', async () => {
    const n = buildNetwork({
      arch: 'resnet-8',
      inputSize: 16,
      channels: 3,
      heads: [
        { name: 'out', units: 6 },
        { name: 'idle', units: 2 },
      ],
      seed: 5,
    })
    const step = createTrainStep(n, { momentum: 0.9 })
    const idle = n.trainable.get('head/idle/kernel')!.dataSync().slice()
    const stem = n.trainable.get('stem/conv/kernel')!.dataSync().slice()
    await step.step(x, lossOf, 0.05)
    await step.step(x, lossOf, 0.05)
    expect(Array.from(n.trainable.get('head/idle/kernel')!.dataSync())).toEqual(Array.from(idle))
    expect(Array.from(n.trainable.get('stem/conv/kernel')!.dataSync())).not.toEqual(Array.from(stem))
    const state = step.optimizerState()
    expect(state.has('head/idle/kernel')).toBe(false)
    expect(state.has('head/out/kernel')).toBe(true)
    tf.dispose([...state.values()])
    step.dispose()
    n.dispose()
  })

  it('rejects a momentum outside [0, 1)', () => {
    expect(() => createTrainStep(net, { momentum: 1 })).toThrow(/momentum/)
  })
})
