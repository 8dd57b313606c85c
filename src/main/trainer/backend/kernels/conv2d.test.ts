import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { activateWasm } from '../wasm'
import { conv2dFilterGradient, conv2dInputGradient } from './conv2d'
import { HeapBackend } from './heap'

// Our conv kernels on random shapes against the cpu backend (tfjs's reference implementation):
// forward, filter gradient and input gradient equal to 1e-4 relative to the largest value.

interface Shape {
  x: [number, number, number, number]
  kh: number
  kw: number
  co: number
  strides: [number, number]
  pad: 'same' | 'valid'
  dilation: number
}

/** mulberry32: a small seeded generator, so a failing shape can be reproduced from its seed. */
function generator(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296
    return lo + Math.floor(u * (hi - lo + 1))
  }
}

function randomShape(seed: number): Shape {
  const pick = generator(seed)
  const k = [1, 3, 3, 2, 5][pick(0, 4)]
  const kw = pick(0, 4) === 0 ? [1, 3][pick(0, 1)] : k
  // Dilated convs have no gradient in tfjs unless the stride is 1.
  const dilation = pick(0, 5) === 0 ? 2 : 1
  const stride = dilation > 1 ? 1 : pick(1, 2)
  const pad = pick(0, 1) === 0 ? 'same' : 'valid'
  const min = (k - 1) * dilation + 1
  return {
    x: [
      pick(1, 3),
      pick(min, 13),
      pick(Math.max(min, (kw - 1) * dilation + 1), 13),
      [1, 2, 3, 4, 5, 8, 9, 16][pick(0, 7)],
    ],
    kh: k,
    kw,
    co: [1, 3, 4, 6, 8, 12, 16, 17][pick(0, 7)],
    strides: [stride, pick(0, 3) === 0 ? 1 : stride],
    pad,
    dilation,
  }
}

/** Images large enough that the filter gradient walks them in several cache-sized chunks of rows. */
const CHUNKED: Shape[] = [
  { x: [2, 23, 30, 16], kh: 3, kw: 3, co: 17, strides: [1, 1], pad: 'same', dilation: 1 },
  { x: [1, 29, 31, 16], kh: 3, kw: 3, co: 24, strides: [2, 2], pad: 'valid', dilation: 1 },
]

const SHAPES = [
  ...Array.from({ length: 40 }, (_, i) => ({ seed: 1000 + i, shape: randomShape(1000 + i) })),
  ...CHUNKED.map((shape, i) => ({ seed: 2000 + i, shape })),
]

function describeShape(s: Shape): string {
  return `x [${s.x}], ${s.kh}x${s.kw} to ${s.co}, strides [${s.strides}], ${s.pad}${s.dilation > 1 ? `, dilation ${s.dilation}` : ''}`
}

/**
 * y = conv2d(x, w) and the gradients of sum(y * r), on the current backend. tfjs has no gradient of
 * a dilated conv, so those shapes check the forward conv only.
 */
function run(s: Shape, seed: number): { y: Float32Array; dx?: Float32Array; dw?: Float32Array } {
  return tf.tidy(() => {
    const x = tf.randomUniform(s.x, -1, 1, 'float32', seed) as tf.Tensor4D
    const w = tf.randomUniform([s.kh, s.kw, s.x[3], s.co], -1, 1, 'float32', seed + 1) as tf.Tensor4D
    const conv = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s.strides, s.pad, 'NHWC', s.dilation)
    const y = conv(x, w)
    if (s.dilation > 1) return { y: y.dataSync() as Float32Array }
    const r = tf.randomUniform(y.shape, -1, 1, 'float32', seed + 2)
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), r)))([x, w])
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array }
  })
}

/** Largest difference relative to the largest reference value. */
function relativeError(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length)
  let diff = 0
  let scale = 0
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]))
    scale = Math.max(scale, Math.abs(want[i]))
  }
  return scale === 0 ? diff : diff / scale
}

describe('conv kernels on wasm equal the cpu backend on random shapes', () => {
  const reference = new Map<number, ReturnType<typeof run>>()

  beforeAll(async () => {
    await tf.setBackend('cpu')
    for (const { seed, shape } of SHAPES) reference.set(seed, run(shape, seed))
    await activateWasm()
  })

  it('covers strides 1 and 2, same and valid, 1x1 and 3x3, odd sizes and channel counts', () => {
    const shapes = SHAPES.map((s) => s.shape)
    expect(new Set(shapes.map((s) => s.strides[0]))).toEqual(new Set([1, 2]))
    expect(new Set(shapes.map((s) => s.pad))).toEqual(new Set(['same', 'valid']))
    expect(shapes.some((s) => s.kh === 1 && s.kw === 1)).toBe(true)
    expect(shapes.some((s) => s.kh === 3 && s.kw === 3 && s.strides[0] === 2)).toBe(true)
    expect(shapes.some((s) => s.x[1] % 2 === 1 && s.x[3] % 4 !== 0 && s.co % 4 !== 0)).toBe(true)
  })

  SHAPES.forEach(({ seed, shape }) => {
    it(`seed ${seed}: ${describeShape(shape)}`, () => {
      expect(tf.getBackend()).toBe('wasm')
      const got = run(shape, seed)
      const want = reference.get(seed)!
      expect(relativeError(got.y, want.y)).toBeLessThan(1e-4)
      if (shape.dilation > 1) return
      expect(relativeError(got.dx!, want.dx!)).toBeLessThan(1e-4)
      expect(relativeError(got.dw!, want.dw!)).toBeLessThan(1e-4)
    })
  })
})

describe('conv kernels refuse what they cannot compute', () => {
  beforeAll(activateWasm)

  const backend = () => tf.backend() as unknown as HeapBackend
  const attrs = { strides: 1, pad: 'same' as const, dataFormat: 'NHWC' as const }

  it('names the kernel and the shapes when dy does not fit the conv', () => {
    const x = tf.zeros([1, 5, 5, 2])
    const dy = tf.zeros([1, 4, 5, 3])
    expect(() => conv2dFilterGradient(backend(), x, dy, [3, 3, 2, 3], attrs)).toThrow(
      /Conv2DBackpropFilter: dy has shape \[1,4,5,3\], expected \[1,5,5,3\]/,
    )
    tf.dispose([x, dy])
  })

  it('names the channel counts when the filter does not fit the input', () => {
    const dy = tf.zeros([1, 5, 5, 3])
    const w = tf.zeros([3, 3, 4, 3])
    expect(() => conv2dInputGradient(backend(), dy, w, [1, 5, 5, 2], attrs)).toThrow(
      /input has 2 channels but the filter \[3,3,4,3\] expects 4/,
    )
    tf.dispose([dy, w])
  })

  it('refuses NCHW with the kernel name', () => {
    const x = tf.zeros([1, 5, 5, 2])
    const dy = tf.zeros([1, 5, 5, 3])
    expect(() => conv2dFilterGradient(backend(), x, dy, [3, 3, 2, 3], { ...attrs, dataFormat: 'NCHW' })).toThrow(
      /Conv2DBackpropFilter on wasm supports dataFormat 'NHWC' only/,
    )
    tf.dispose([x, dy])
  })

  it('frees its scratch buffers when it throws', () => {
    const x = tf.zeros([1, 5, 5, 2])
    const dy = tf.zeros([1, 4, 5, 3])
    const before = tf.engine().backend.numDataIds()
    expect(() => conv2dFilterGradient(backend(), x, dy, [3, 3, 2, 3], attrs)).toThrow()
    expect(tf.engine().backend.numDataIds()).toBe(before)
    tf.dispose([x, dy])
  })
})
