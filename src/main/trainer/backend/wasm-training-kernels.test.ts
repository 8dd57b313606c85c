import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { activateWasm } from './wasm'

// Both conv gradients on wasm must equal the cpu backend's (the reference implementation in tfjs).

interface Case {
  name: string
  x: [number, number, number, number]
  k: number
  /** Filter width when it differs from the height. */
  kw?: number
  co: number
  stride: number
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]
}

const cases: Case[] = [
  { name: '3x3 stride 1 same', x: [2, 8, 8, 3], k: 3, co: 4, stride: 1, pad: 'same' },
  { name: '3x3 stride 1 same, fewer in than out channels', x: [2, 7, 9, 2], k: 3, co: 6, stride: 1, pad: 'same' },
  { name: '3x3 stride 1 valid, fewer in than out channels', x: [2, 8, 7, 2], k: 3, co: 5, stride: 1, pad: 'valid' },
  {
    name: '5x3 stride 1 same, fewer in than out channels',
    x: [1, 9, 8, 1],
    k: 5,
    kw: 3,
    co: 4,
    stride: 1,
    pad: 'same',
  },
  { name: '3x3 stride 2 same, even size', x: [2, 8, 8, 3], k: 3, co: 5, stride: 2, pad: 'same' },
  { name: '3x3 stride 2 same, odd size', x: [2, 9, 7, 2], k: 3, co: 3, stride: 2, pad: 'same' },
  { name: '3x3 stride 1 valid, odd size', x: [1, 7, 9, 3], k: 3, co: 2, stride: 1, pad: 'valid' },
  { name: '3x3 stride 2 valid, odd size', x: [2, 9, 9, 2], k: 3, co: 4, stride: 2, pad: 'valid' },
  { name: '3x3 stride 2 valid, rows left over', x: [1, 10, 8, 2], k: 3, co: 2, stride: 2, pad: 'valid' },
  { name: '1x1 stride 1', x: [2, 5, 5, 4], k: 1, co: 3, stride: 1, pad: 'same' },
  { name: '1x1 stride 2 same, even size', x: [2, 8, 8, 4], k: 1, co: 6, stride: 2, pad: 'same' },
  { name: '1x1 stride 2 valid, odd size', x: [2, 7, 5, 3], k: 1, co: 2, stride: 2, pad: 'valid' },
  { name: '5x5 stride 2 same, odd size', x: [1, 11, 9, 2], k: 5, co: 3, stride: 2, pad: 'same' },
  { name: '3x3 stride 3 same', x: [1, 10, 11, 2], k: 3, co: 2, stride: 3, pad: 'same' },
  {
    name: '3x3 stride 2 explicit pad',
    x: [1, 9, 8, 2],
    k: 3,
    co: 2,
    stride: 2,
    pad: [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ],
  },
]

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed)
}

/** Gradients of sum(conv2d(x, w) * r) with respect to x and w, on the current backend. */
function convGradients(c: Case, seed: number): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = seeded(c.x, seed) as tf.Tensor4D
    const w = seeded([c.k, c.kw ?? c.k, c.x[3], c.co], seed + 1) as tf.Tensor4D
    const out = tf.conv2d(x, w, c.stride, c.pad)
    const r = seeded(out.shape, seed + 2)
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r)),
    )([x, w])
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array }
  })
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

describe('wasm conv2d gradients', () => {
  const reference = new Map<string, { dx: Float32Array; dw: Float32Array }>()

  beforeAll(async () => {
    await tf.setBackend('cpu')
    cases.forEach((c, i) => reference.set(c.name, convGradients(c, 100 + i)))
    await activateWasm()
  })

  it('runs on the wasm backend', () => {
    expect(tf.getBackend()).toBe('wasm')
  })

  cases.forEach((c, i) => {
    it(`equal the cpu gradients: ${c.name}`, () => {
      const got = convGradients(c, 100 + i)
      const want = reference.get(c.name)!
      expect(maxAbsDiff(got.dx, want.dx)).toBeLessThan(1e-5)
      expect(maxAbsDiff(got.dw, want.dw)).toBeLessThan(1e-5)
    })
  })

  it('differentiates tf.gather (UnsortedSegmentSum) like the cpu backend', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = seeded([5, 4], 1)
        const r = seeded([3, 4], 2)
        return tf
          .grad((a: tf.Tensor) => tf.sum(tf.mul(tf.gather(a, [4, 0, 4]), r)))(x)
          .dataSync() as Float32Array
      })
    const got = run()
    await tf.setBackend('cpu')
    const want = run()
    await activateWasm()
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-6)
  })

  it('differentiates a depthwise conv (frozen batch norm) like the cpu backend', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = seeded([2, 6, 5, 3], 3) as tf.Tensor4D
        const f = seeded([3, 3, 3, 1], 4) as tf.Tensor4D
        const r = seeded([2, 3, 3, 3], 5)
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), r)),
        )([x, f])
        return [dx.dataSync() as Float32Array, df.dataSync() as Float32Array]
      })
    const got = run()
    await tf.setBackend('cpu')
    const want = run()
    await activateWasm()
    expect(maxAbsDiff(got[0], want[0])).toBeLessThan(1e-5)
    expect(maxAbsDiff(got[1], want[1])).toBeLessThan(1e-5)
  })

  it('leaves no tensors or wasm buffers behind', () => {
    convGradients(cases[1], 7)
    const tensors = tf.memory().numTensors
    const buffers = tf.engine().backend.numDataIds()
    for (const c of cases) convGradients(c, 7)
    expect(tf.memory().numTensors).toBe(tensors)
    expect(tf.engine().backend.numDataIds()).toBe(buffers)
  })
})
