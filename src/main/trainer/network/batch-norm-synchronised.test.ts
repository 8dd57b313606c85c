import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import { activateWasm } from '../backend/wasm'
import { batchNorm, BatchNormVariables } from './batch-norm'
import { BatchStatisticsExchange, withBatchStatisticsExchange } from './batch-norm-kernels'

// Synchronised batch norm's kernels (wasm, in passes with the workers' sums exchanged between them)
// against the tfjs-ops path on the cpu backend over the whole batch. Worker A holds the first
// images; an exchange stands in for worker B, adding the sums B would send (computed here from the
// whole batch). A's loss is weighted by its share of the images, as the coordinator weights it, so
// A's gradients times its share must be the whole batch's restricted to A's rows.

type Shape = [number, number, number, number]
/** Shapes and A's images: channels 6 (4 + 1 + 1), 16, 37 (16 + 16 + 4 + 1) and 4, so every block of the kernels. */
const CASES: { shape: Shape; imagesOfA: number }[] = [
  { shape: [3, 5, 4, 6], imagesOfA: 1 },
  { shape: [2, 8, 8, 16], imagesOfA: 1 },
  { shape: [4, 3, 7, 37], imagesOfA: 3 },
  { shape: [5, 20, 20, 4], imagesOfA: 2 },
]
const variants = [
  { relu: false, residual: false },
  { relu: true, residual: false },
  { relu: true, residual: true },
  { relu: false, residual: true },
]
type Variant = (typeof variants)[number]

interface Data {
  x: Float32Array
  residual: Float32Array
  r: Float32Array
  gamma: Float32Array
  beta: Float32Array
}

function data(shape: Shape): Data {
  const c = shape[3]
  const arrays = tf.tidy(() =>
    [
      tf.randomNormal(shape, 0.3, 2, 'float32', 11),
      tf.randomNormal(shape, 0, 1, 'float32', 12),
      tf.randomNormal(shape, 0, 1, 'float32', 13),
      tf.randomUniform([c], 0.5, 1.5, 'float32', 5),
      tf.randomUniform([c], -0.5, 0.5, 'float32', 6),
    ].map((t) => t.dataSync() as Float32Array),
  )
  const [x, residual, r, gamma, beta] = arrays
  return { x, residual, r, gamma, beta }
}

/** y, the gradients of sum(y * r) (x, gamma, beta, residual), then the moving mean and variance. */
function pass(d: Data, shape: Shape, v: Variant, r: Float32Array, rows: [number, number]): Float32Array[] {
  return tf.tidy(() => {
    const c = shape[3]
    const part: Shape = [rows[1] - rows[0], shape[1], shape[2], c]
    const size = shape[1] * shape[2] * c
    const slice = (a: Float32Array) => tf.tensor4d(a.subarray(rows[0] * size, rows[1] * size), part)
    const vars: BatchNormVariables = {
      gamma: tf.variable(tf.tensor1d(d.gamma)),
      beta: tf.variable(tf.tensor1d(d.beta)),
      movingMean: tf.variable(tf.zeros([c]), false),
      movingVariance: tf.variable(tf.ones([c]), false),
    }
    let y: tf.Tensor = tf.zeros([0])
    const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, residual?: tf.Tensor) => {
      const opts = { training: true, relu: v.relu, residual: residual as tf.Tensor4D | undefined }
      y = tf.keep(
        batchNorm(x as tf.Tensor4D, { ...vars, gamma: gamma as tf.Variable, beta: beta as tf.Variable }, opts),
      )
      return tf.sum(tf.mul(y, slice(r)))
    }
    const inputs = [slice(d.x), vars.gamma, vars.beta, ...(v.residual ? [slice(d.residual)] : [])]
    const { grads } = tf.valueAndGrads(f as (...t: tf.Tensor[]) => tf.Scalar)(inputs)
    const out = [y, ...grads, vars.movingMean, vars.movingVariance].map((t) => t.dataSync() as Float32Array)
    Object.values(vars).forEach((t) => t.dispose())
    y.dispose()
    return out
  })
}

/** Stands in for worker B (rows from `first` on): adds what B would send to each of A's three calls. */
function workerB(d: Data, shape: Shape, first: number, share: number, yWhole: Float32Array, relu: boolean) {
  const c = shape[3]
  const from = first * shape[1] * shape[2]
  const rowsOfB = shape[0] * shape[1] * shape[2] - from
  let calls = 0
  let mean = new Float64Array(c)
  const overB = (each: (i: number, k: number) => number, into: Float64Array, at: number) => {
    for (let i = from; i < from + rowsOfB; i++) for (let k = 0; k < c; k++) into[at + k] += each(i, k)
  }
  const exchange: BatchStatisticsExchange = {
    share,
    allReduce: (values) => {
      const call = calls++
      if (call === 0) {
        overB((i, k) => d.x[i * c + k], values, 0)
        values[c] += rowsOfB
        mean = values.slice(0, c).map((s) => Math.fround(s / values[c]))
      } else if (call === 1) overB((i, k) => (d.x[i * c + k] - mean[k]) ** 2, values, 0)
      else {
        const g = (i: number, k: number) => (relu && !(yWhole[i * c + k] > 0) ? 0 : d.r[i * c + k])
        overB(g, values, 0)
        overB((i, k) => g(i, k) * (d.x[i * c + k] - mean[k]), values, c)
        values[2 * c] += rowsOfB
      }
    },
  }
  return { exchange, calls: () => calls }
}

function close(got: Float32Array, want: Float32Array, what: string, tol = 1e-4): void {
  expect(got.length, what).toBe(want.length)
  const scale = Math.max(1, ...Array.from(want, Math.abs))
  const worst = Math.max(...Array.from(got, (g, i) => Math.abs(g - want[i]) / scale))
  expect(worst, what).toBeLessThan(tol)
}

describe('synchronised batch norm on wasm', () => {
  afterAll(() => tf.setBackend('cpu'))

  for (const { shape, imagesOfA } of CASES) {
    for (const v of variants) {
      it(`equals the tfjs ops on the whole batch (relu=${v.relu} residual=${v.residual} [${shape}], A has ${imagesOfA})`, async () => {
        await tf.setBackend('cpu')
        const d = data(shape)
        const all: [number, number] = [0, shape[0]]
        const whole = pass(d, shape, v, d.r, all)
        const perImage = shape[1] * shape[2] * shape[3]
        const onlyA = d.r.map((value, i) => (i < imagesOfA * perImage ? value : 0))
        const [, , dGammaA, dBetaA] = pass(d, shape, v, onlyA, all)
        await activateWasm()
        const share = imagesOfA / shape[0]
        const b = workerB(d, shape, imagesOfA, share, whole[0], v.relu)
        const localR = d.r.map((value) => value / share)
        const got = await withBatchStatisticsExchange(b.exchange, async () => pass(d, shape, v, localR, [0, imagesOfA]))
        expect(b.calls()).toBe(3)
        const rowsOfA = (a: Float32Array) => a.subarray(0, imagesOfA * perImage)
        const times = (a: Float32Array) => a.map((value) => value * share)
        close(got[0], rowsOfA(whole[0]), 'y')
        close(times(got[1]), rowsOfA(whole[1]), 'dx')
        close(times(got[2]), dGammaA, 'dGamma')
        close(times(got[3]), dBetaA, 'dBeta')
        if (v.residual) close(times(got[4]), rowsOfA(whole[4]), 'dResidual')
        close(got.at(-2)!, whole.at(-2)!, 'moving mean')
        close(got.at(-1)!, whole.at(-1)!, 'moving variance')
      })
    }
  }

  it('is refused on a backend without batch-norm kernels', async () => {
    await tf.setBackend('cpu')
    const exchange = { share: 1, allReduce: () => {} }
    await expect(withBatchStatisticsExchange(exchange, async () => 1)).rejects.toThrow(
      /synchronised batch norm needs the wasm batch-norm kernels \(backend cpu\)/,
    )
  })
})
