import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { activateWasm } from '../backend/wasm'
import { buildNetwork, Network, NETWORK_ARCHS, NetworkArch, NetworkSpec } from './index'

const HEADS = [
  { name: 'emotion', units: 8 },
  { name: 'au', units: 11 },
]

function spec(arch: NetworkArch, extra: Partial<NetworkSpec> = {}): NetworkSpec {
  return { arch, inputSize: 16, channels: 3, heads: HEADS, seed: 7, ...extra }
}

function values(net: Network): Map<string, Float32Array> {
  return new Map([...net.trainable].map(([n, v]) => [n, v.dataSync() as Float32Array]))
}

describe('buildNetwork', () => {
  beforeAll(async () => {
    await activateWasm()
  })

  for (const arch of NETWORK_ARCHS) {
    it(`${arch}: one logits tensor per head, [batch, units], in both modes`, () => {
      const net = buildNetwork(spec(arch, { inputSize: arch === 'resnet-110' ? 8 : 16, channels: 1 }))
      const size = net.spec.inputSize
      const x = tf.randomNormal([2, size, size, 1]) as tf.Tensor4D
      for (const training of [true, false]) {
        const out = net.apply(x, training)
        expect(Object.keys(out)).toEqual(['emotion', 'au'])
        expect(out.emotion.shape).toEqual([2, 8])
        expect(out.au.shape).toEqual([2, 11])
        expect(Array.from(out.au.dataSync()).every(Number.isFinite)).toBe(true)
        tf.dispose(out)
      }
      x.dispose()
      net.dispose()
    })
  }

  it('ResNet-20 has the layers of a 6n+2 ResNet with two projection shortcuts', () => {
    const net = buildNetwork(spec('resnet-20'))
    const names = [...net.trainable.keys()]
    expect(names.filter((n) => n.endsWith('/kernel') && !n.startsWith('head/'))).toHaveLength(19 + 2)
    expect(names.filter((n) => n.endsWith('/shortcut/kernel'))).toEqual([
      'stage2/block1/shortcut/kernel',
      'stage3/block1/shortcut/kernel',
    ])
    expect(names.filter((n) => n.endsWith('/gamma'))).toHaveLength(19)
    expect([...net.state.keys()].filter((n) => n.endsWith('/moving_mean'))).toHaveLength(19)
    const weights = [...net.trainable.values()].reduce((s, v) => s + v.size, 0)
    // 0.27M convolution weights (He et al.) + 2.5k for projections + BN + the two heads.
    expect(weights).toBeGreaterThan(270_000)
    expect(weights).toBeLessThan(280_000)
    net.dispose()
  })

  it('the same seed gives the same weights, another seed different ones', () => {
    const a = buildNetwork(spec('resnet-8'))
    const b = buildNetwork(spec('resnet-8'))
    const c = buildNetwork(spec('resnet-8', { seed: 8 }))
    const [va, vb, vc] = [values(a), values(b), values(c)]
    for (const [n, v] of va) expect(Array.from(vb.get(n)!)).toEqual(Array.from(v))
    expect(Array.from(vc.get('stem/conv/kernel')!)).not.toEqual(Array.from(va.get('stem/conv/kernel')!))
    ;[a, b, c].forEach((n) => n.dispose())
  })

  it('adding a head leaves the trunk weights as they were', () => {
    const a = buildNetwork(spec('resnet-8'))
    const b = buildNetwork(spec('resnet-8', { heads: [...HEADS, { name: 'compound', units: 3 }] }))
    const vb = values(b)
    for (const [n, v] of values(a)) expect(Array.from(vb.get(n)!)).toEqual(Array.from(v))
    a.dispose()
    b.dispose()
  })

  it('initialises convolutions He-normal: std close to sqrt(2 / fan_in)', () => {
    const net = buildNetwork(spec('resnet-20'))
    const k = net.trainable.get('stage3/block2/conv1/kernel')!
    const v = Array.from(k.dataSync())
    const mean = v.reduce((s, x) => s + x, 0) / v.length
    const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length)
    expect(std / Math.sqrt(2 / (3 * 3 * 64))).toBeCloseTo(1, 1)
    net.dispose()
  })

  it('rejects inputs of the wrong size, naming the expected shape', () => {
    const net = buildNetwork(spec('resnet-8'))
    const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D
    expect(() => net.apply(x, false)).toThrow(/expects input \[N, 16, 16, 3\], got \[1, 32, 32, 3\]/)
    x.dispose()
    net.dispose()
  })

  it('rejects bad specs by field', () => {
    expect(() => buildNetwork(spec('resnet-7' as NetworkArch))).toThrow(/unknown network arch 'resnet-7'/)
    expect(() => buildNetwork(spec('resnet-8', { inputSize: 4 }))).toThrow(/inputSize/)
    expect(() => buildNetwork(spec('resnet-8', { heads: [] }))).toThrow(/head/)
    expect(() => buildNetwork(spec('resnet-8', { heads: [HEADS[0], HEADS[0]] }))).toThrow(/unique/)
  })

  it('frees its variables on dispose', () => {
    const before = tf.memory().numTensors
    buildNetwork(spec('vgg-small')).dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('whole-network gradient', () => {
  /** Loss and all gradients of a tiny ResNet-8 on the current backend. */
  function gradients(): { loss: number; grads: Map<string, Float32Array> } {
    const net = buildNetwork({
      arch: 'resnet-8',
      inputSize: 8,
      channels: 3,
      heads: [{ name: 'out', units: 5 }],
      seed: 3,
    })
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D
    const y = tf.randomUniform([2, 5], 0, 1, 'float32', 5)
    const names = [...net.trainable.keys()]
    const vars = names.map((n) => net.trainable.get(n)!)
    const { value, grads } = tf.variableGrads(
      () => tf.losses.sigmoidCrossEntropy(y, net.apply(x, true).out) as tf.Scalar,
      vars,
    )
    const out = {
      loss: value.dataSync()[0],
      grads: new Map(names.map((n, i) => [n, grads[vars[i].name].dataSync() as Float32Array])),
    }
    tf.dispose([value, x, y, ...Object.values(grads)])
    net.dispose()
    return out
  }

  it('on wasm equals the cpu backend, for every variable', async () => {
    await tf.setBackend('cpu')
    const want = gradients()
    await activateWasm()
    const got = gradients()
    expect(got.loss).toBeCloseTo(want.loss, 5)
    expect([...got.grads.keys()]).toEqual([...want.grads.keys()])
    for (const [n, w] of want.grads) {
      const g = got.grads.get(n)!
      const scale = Math.max(1e-3, ...Array.from(w, Math.abs))
      const worst = Math.max(...Array.from(w, (v, i) => Math.abs(v - g[i])))
      expect(worst / scale, n).toBeLessThan(1e-4)
    }
  })
})
