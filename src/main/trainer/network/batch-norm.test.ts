import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activateWasm } from '../backend/wasm'
import { batchNorm, BatchNormVariables } from './batch-norm'
import { backendHasBatchNormKernels, BATCH_NORM_GRADIENT, BATCH_NORM_TRAINING } from './batch-norm-kernels'

// The hand-written batch-norm gradient must equal what tfjs's autodiff gives for the textbook
// formula, with and without ReLU and residual, on cpu and on wasm (there our own kernels,
// kernels/batch-norm-forward.c and -gradient.c, which take channels 16, 4 and 1 at a time: the shapes cover each).

type Shape = [number, number, number, number]
const SHAPE: Shape = [3, 5, 4, 6]
const SHAPES: Shape[] = [SHAPE, [2, 8, 8, 16], [1, 3, 7, 37], [5, 20, 20, 4]]

function variables(seed: number, c = SHAPE[3]): BatchNormVariables {
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

/** Value and gradients (x, gamma, beta, residual) of sum(bn(x) * r), then the moving mean and variance. */
function run(v: Variant, useReference: boolean, shape = SHAPE): Float32Array[] {
  return tf.tidy(() => {
    const vars = variables(5, shape[3])
    const x = tf.randomNormal(shape, 0.3, 2, 'float32', 11) as tf.Tensor4D
    const res = tf.randomNormal(shape, 0, 1, 'float32', 12) as tf.Tensor4D
    const r = tf.randomNormal(shape, 0, 1, 'float32', 13)
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
    if (useReference) {
      const m = shape[0] * shape[1] * shape[2]
      const { mean, variance } = tf.moments(x, [0, 1, 2])
      out.push(tf.mul(mean, 0.1).dataSync() as Float32Array)
      out.push(tf.add(0.9, tf.mul(variance, 0.1 * (m / (m - 1)))).dataSync() as Float32Array)
    } else out.push(vars.movingMean.dataSync() as Float32Array, vars.movingVariance.dataSync() as Float32Array)
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
  const wantShaped = new Map<string, Float32Array[]>()
  const key = (v: Variant, shape: Shape) => `relu=${v.relu} residual=${v.residual} [${shape}]`
  beforeAll(async () => {
    await tf.setBackend('cpu')
    for (const v of variants) want.set(v, run(v, true))
    for (const v of variants) for (const shape of SHAPES) wantShaped.set(key(v, shape), run(v, true, shape))
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
    for (const shape of SHAPES) {
      it(`equals autodiff of the formula on wasm, with its own kernels (${key(v, shape)})`, async () => {
        await activateWasm()
        const got = run(v, false, shape)
        wantShaped.get(key(v, shape))!.forEach((w, i) => close(got[i], w))
      })
    }
  }

  it('runs on wasm as one kernel forward and one backward, leaving no tensors behind', async () => {
    await activateWasm()
    expect(backendHasBatchNormKernels()).toBe(true)
    run(variants[2], false)
    const before = tf.memory().numTensors
    const profile = await tf.profile(() => {
      run(variants[2], false)
    })
    expect(tf.memory().numTensors).toBe(before)
    expect(profile.kernelNames).toContain(BATCH_NORM_TRAINING)
    expect(profile.kernelNames).toContain(BATCH_NORM_GRADIENT)
    expect(profile.kernelNames).not.toContain('FusedDepthwiseConv2D')
  })

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
