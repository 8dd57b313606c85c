import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activateWasm } from '../backend/wasm'
import { batchNorm, BatchNormVariables } from './batch-norm'

// The hand-written batch-norm gradient must equal what tfjs's autodiff gives for the textbook
// formula, with and without ReLU and residual, on cpu and on wasm.

const SHAPE: [number, number, number, number] = [3, 5, 4, 6]

function variables(seed: number): BatchNormVariables {
  const c = SHAPE[3]
  return {
    gamma: tf.variable(tf.randomUniform([c], 0.5, 1.5, 'float32', seed)),
    beta: tf.variable(tf.randomUniform([c], -0.5, 0.5, 'float32', seed + 1)),
    movingMean: tf.variable(tf.zeros([c]), false),
    movingVariance: tf.variable(tf.ones([c]), false),
  }
}

function reference(
  x: tf.Tensor4D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  relu: boolean,
  residual?: tf.Tensor4D,
): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2])
  let y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta) as tf.Tensor4D
  if (residual) y = tf.add(y, residual)
  return relu ? tf.relu(y) : y
}

type Variant = { relu: boolean; residual: boolean }
const variants: Variant[] = [
  { relu: false, residual: false },
  { relu: true, residual: false },
  { relu: true, residual: true },
  { relu: false, residual: true },
]

/** Value and gradients (x, gamma, beta, residual) of sum(bn(x) * r). */
function run(v: Variant, useReference: boolean): Float32Array[] {
  return tf.tidy(() => {
    const vars = variables(5)
    const x = tf.randomNormal(SHAPE, 0.3, 2, 'float32', 11) as tf.Tensor4D
    const res = tf.randomNormal(SHAPE, 0, 1, 'float32', 12) as tf.Tensor4D
    const r = tf.randomNormal(SHAPE, 0, 1, 'float32', 13)
    const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor, rr?: tf.Tensor) => {
      const residual = rr as tf.Tensor4D | undefined
      const y = useReference
        ? reference(xx as tf.Tensor4D, g, b, v.relu, residual)
        : batchNorm(
            xx as tf.Tensor4D,
            { ...vars, gamma: g as tf.Variable, beta: b as tf.Variable },
            { training: true, relu: v.relu, residual },
          )
      return tf.sum(tf.mul(y, r))
    }
    const xs = v.residual ? [x, vars.gamma, vars.beta, res] : [x, vars.gamma, vars.beta]
    const { value, grads } = tf.valueAndGrads(f as (...t: tf.Tensor[]) => tf.Scalar)(xs)
    const out = [value, ...grads].map((t) => t.dataSync() as Float32Array)
    Object.values(vars).forEach((t) => t.dispose())
    return out
  })
}

function close(a: Float32Array, b: Float32Array, tol = 1e-4): void {
  expect(a.length).toBe(b.length)
  const scale = Math.max(1, ...Array.from(b, Math.abs))
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]) / scale).toBeLessThan(tol)
}

describe('batchNorm custom gradient', () => {
  const want = new Map<Variant, Float32Array[]>()
  beforeAll(async () => {
    await tf.setBackend('cpu')
    for (const v of variants) want.set(v, run(v, true))
  })
  afterAll(async () => {
    await tf.setBackend('cpu')
  })

  for (const v of variants) {
    const name = `relu=${v.relu} residual=${v.residual}`
    it(`equals autodiff of the formula on cpu (${name})`, async () => {
      await tf.setBackend('cpu')
      const got = run(v, false)
      want.get(v)!.forEach((w, i) => close(got[i], w))
    })
    it(`equals autodiff of the formula on wasm (${name})`, async () => {
      await activateWasm()
      const got = run(v, false)
      want.get(v)!.forEach((w, i) => close(got[i], w))
    })
  }

  it('updates the moving averages in training and uses them in inference', async () => {
    await tf.setBackend('cpu')
    const vars = variables(1)
    const x = tf.randomNormal(SHAPE, 2, 3, 'float32', 3) as tf.Tensor4D
    batchNorm(x, vars, { training: true, relu: false, decay: 0 }).dispose()
    const { mean, variance } = tf.moments(x, [0, 1, 2])
    const m = SHAPE[0] * SHAPE[1] * SHAPE[2]
    close(vars.movingMean.dataSync() as Float32Array, mean.dataSync() as Float32Array, 1e-5)
    close(
      vars.movingVariance.dataSync() as Float32Array,
      tf.mul(variance, m / (m - 1)).dataSync() as Float32Array,
      1e-5,
    )
    // Inference with those statistics normalises x like training did (up to the unbiased variance).
    const inference = batchNorm(x, vars, { training: false, relu: false })
    const trained = reference(x, vars.gamma, vars.beta, false)
    close(inference.dataSync() as Float32Array, trained.dataSync() as Float32Array, 0.05)
    const before = vars.movingMean.dataSync().slice()
    batchNorm(x, vars, { training: false, relu: false }).dispose()
    expect(Array.from(vars.movingMean.dataSync())).toEqual(Array.from(before))
  })
})
