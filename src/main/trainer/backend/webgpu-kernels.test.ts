import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema, type RunConfigInput } from '../../../shared/run-config'
import { TINY_CLASSES } from '../data/tiny-snapshot.fixture'
import { headLoss } from '../loss/for-method'
import { buildNetwork, type NetworkArch } from '../network'
import { batchNorm } from '../network/batch-norm'
import { headViews } from '../data/snapshot'
import { selectBackend } from './index'
import { groupedSum } from './webgpu-kernels'
import { useSwiftShader } from './webgpu-test-env.fixture'

// Every kernel our networks and losses use, on the webgpu backend (SwiftShader's software adapter
// here and in CI, the same WGSL shaders as on a GPU), against the cpu backend: forward values and
// gradients within 1e-4 of the largest value of each tensor.

useSwiftShader()
beforeAll(async () => {
  await selectBackend('webgpu')
})

const TOLERANCE = 1e-4

type Arrays = Float32Array[]

/** Runs `compute` on each backend and reads every output back. */
async function onBoth(compute: () => tf.Tensor[]): Promise<{ cpu: Arrays; webgpu: Arrays }> {
  const out: Record<string, Arrays> = {}
  for (const backend of ['cpu', 'webgpu']) {
    await tf.setBackend(backend)
    const tensors = compute()
    out[backend] = []
    for (const t of tensors) out[backend].push((await t.data()) as Float32Array)
    tf.dispose(tensors)
  }
  return { cpu: out.cpu, webgpu: out.webgpu }
}

/** Largest difference over the largest reference value, per tensor. */
function expectClose(got: Arrays, want: Arrays, what: string): void {
  expect(got.length, what).toBe(want.length)
  want.forEach((ref, i) => {
    expect(got[i].length, `${what} #${i} length`).toBe(ref.length)
    let scale = 0
    let worst = 0
    ref.forEach((v, j) => {
      scale = Math.max(scale, Math.abs(v))
      worst = Math.max(worst, Math.abs(v - got[i][j]))
    })
    expect(
      Number.isFinite(worst) && worst / Math.max(scale, 1e-12),
      `${what} #${i}: off by ${worst} at scale ${scale}`,
    ).toBeLessThanOrEqual(TOLERANCE)
  })
}

const seeded = (shape: number[], seed: number): tf.Tensor => tf.randomNormal(shape, 0, 1, 'float32', seed)

describe('webgpu kernels against the cpu backend', () => {
  it('runs on WebGPU, not on a fallback', () => {
    expect(tf.getBackend()).toBe('webgpu')
  })

  // [batch, size, in channels, out channels, kernel, stride]: the ResNets' stem, blocks, strided
  // first blocks and 1x1 shortcuts, and a VGG layer.
  const convs: [number, number, number, number, number, number][] = [
    [2, 8, 3, 16, 3, 1],
    [2, 8, 16, 16, 3, 1],
    [3, 8, 16, 32, 3, 2],
    [3, 8, 16, 32, 1, 2],
    [2, 16, 32, 64, 3, 2],
    [1, 6, 24, 8, 3, 1],
  ]
  it.each(convs)(
    'conv2d forward, filter and input gradients: batch %i, %ipx, %i -> %i channels, kernel %i, stride %i',
    async (n, size, cin, cout, k, stride) => {
      const { cpu, webgpu } = await onBoth(() =>
        tf.tidy(() => {
          const x = seeded([n, size, size, cin], 1) as tf.Tensor4D
          const w = seeded([k, k, cin, cout], 2) as tf.Tensor4D
          const r = seeded(tf.conv2d(x, w, stride, 'same').shape, 3)
          const f = (a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, 'same'), r))
          return [tf.conv2d(x, w, stride, 'same'), ...tf.grads(f)([x, w])]
        }),
      )
      expectClose(webgpu, cpu, 'conv2d')
    },
  )

  it.each([
    [false, false],
    [true, false],
    [true, true],
  ])('batch norm (relu %s, residual %s): values, moving statistics and gradients', async (relu, withResidual) => {
    const { cpu, webgpu } = await onBoth(() => {
      const c = 16
      const vars = {
        gamma: tf.variable(tf.randomUniform([c], 0.5, 1.5, 'float32', 4)),
        beta: tf.variable(seeded([c], 5)),
        movingMean: tf.variable(tf.zeros([c]), false),
        movingVariance: tf.variable(tf.ones([c]), false),
      }
      const out = tf.tidy(() => {
        const x = tf.add(seeded([4, 8, 8, c], 6), 0.5) as tf.Tensor4D
        const residual = withResidual ? (seeded([4, 8, 8, c], 7) as tf.Tensor4D) : undefined
        const r = seeded([4, 8, 8, c], 8)
        const f = (...t: tf.Tensor[]) =>
          tf.sum(
            tf.mul(
              batchNorm(
                t[0] as tf.Tensor4D,
                { ...vars, gamma: t[1] as tf.Variable, beta: t[2] as tf.Variable },
                { training: true, relu, residual: t[3] as tf.Tensor4D | undefined },
              ),
              r,
            ),
          )
        const inputs = [x, vars.gamma, vars.beta, ...(residual ? [residual] : [])]
        const grads = tf.grads(f)(inputs)
        const evaluation = batchNorm(x, vars, { training: false, relu, residual })
        return [...grads, evaluation, tf.clone(vars.movingMean), tf.clone(vars.movingVariance)]
      })
      tf.dispose(Object.values(vars))
      return out
    })
    expectClose(webgpu, cpu, 'batch norm')
  })

  it('max and average pooling with their gradients, softmax, sigmoid and the reductions', async () => {
    const { cpu, webgpu } = await onBoth(() =>
      tf.tidy(() => {
        const x = seeded([2, 8, 8, 4], 9) as tf.Tensor4D
        const logits = seeded([6, 7], 10) as tf.Tensor2D
        const pool = (a: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'same'), tf.maxPool(x, 2, 2, 'same')))
        const avg = (a: tf.Tensor) => tf.sum(tf.square(tf.avgPool(a as tf.Tensor4D, [8, 8], 1, 'valid')))
        return [
          tf.maxPool(x, 2, 2, 'same'),
          tf.grad(pool)(x),
          tf.grad(avg)(x),
          tf.softmax(logits),
          tf.sigmoid(logits),
          tf.mean(x, [1, 2]),
          tf.logSoftmax(logits),
          tf.max(logits, 1),
        ]
      }),
    )
    expectClose(webgpu, cpu, 'pooling and activations')
  })

  it('sums many tensors at once (AddN beyond the storage buffers one shader may bind)', async () => {
    const { cpu, webgpu } = await onBoth(() =>
      tf.tidy(() => [tf.addN(Array.from({ length: 23 }, (_, i) => tf.mul(seeded([3, 5], 20 + i), i + 1)))]),
    )
    expectClose(webgpu, cpu, 'addN')
    const before = tf.memory().numTensors
    tf.tidy(() => void tf.addN(Array.from({ length: 30 }, () => tf.ones([2]))))
    expect(tf.memory().numTensors).toBe(before)
  })

  const methods: [string, NetworkArch, RunConfigInput][] = [
    ['sjmt', 'resnet-8', { method: 'sjmt' }],
    ['multitask', 'resnet-8', { method: 'multitask' }],
    ['single emotion network', 'vgg-small', { method: 'single', datasets: ['Tiny-Emotions'] }],
  ]
  it.each(methods)(
    'a whole %s training step on %s: logits, loss and every gradient, weight decay included',
    async (_name, arch, config) => {
      const views = headViews(
        {
          classes: TINY_CLASSES,
          datasets: [
            { name: 'Tiny-Emotions', classCodes: ['happy', 'sad', 'angry'] },
            { name: 'Tiny-AUs', classCodes: ['AU6', 'AU12'] },
          ],
        },
        RunConfigSchema.parse(config),
      )
      const n = 6
      const datasetIndex = [0, 1, 0, 1, 1, 0]
      const labels = Float32Array.from({ length: n * 5 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0))
      const mask = Float32Array.from({ length: n * 5 }, (_, i) =>
        datasetIndex[Math.floor(i / 5)] === 0 ? Number(i % 5 < 3) : Number(i % 5 >= 3),
      )
      const { cpu, webgpu } = await onBoth(() => {
        const net = buildNetwork({
          arch,
          inputSize: 8,
          channels: 3,
          heads: views.map((v) => ({ name: v.head, units: v.columns.length })),
          seed: 3,
        })
        const vars = [...net.trainable.values()]
        try {
          return tf.tidy(() => {
            const x = seeded([n, 8, 8, 3], 30) as tf.Tensor4D
            const batch = { labels: tf.tensor2d(labels, [n, 5]), mask: tf.tensor2d(mask, [n, 5]), datasetIndex }
            const { value, grads } = tf.variableGrads(() => {
              const logits = net.apply(x, true)
              let total = tf.mul(
                tf.addN(vars.filter((v) => v.name.endsWith('/kernel')).map((v) => tf.sum(tf.square(v)))),
                1e-4,
              ) as tf.Scalar
              for (const view of views)
                total = tf.add(total, headLoss(view, logits[view.head], batch) ?? 0) as tf.Scalar
              return total
            }, vars)
            const logits = net.apply(x, false)
            return [value, ...vars.map((v) => grads[v.name]), ...Object.values(logits), ...net.state.values()].map(
              (t) => tf.clone(t),
            )
          })
        } finally {
          net.dispose()
        }
      })
      expectClose(webgpu, cpu, `${arch} step`)
    },
  )
})

describe('groupedSum', () => {
  it('sums in groups no larger than a shader binds, and frees only its own partial sums', () => {
    const calls: number[] = []
    const freed: number[] = []
    const info = (v: number) => ({ dataId: { v }, shape: [], dtype: 'float32' }) as unknown as tf.TensorInfo
    const value = (t: tf.TensorInfo) => (t.dataId as { v: number }).v
    const out = groupedSum(
      Array.from({ length: 10 }, (_, i) => info(i + 1)),
      3,
      (group) => {
        calls.push(group.length)
        return info(group.reduce((s, t) => s + value(t), 0))
      },
      (t) => freed.push(value(t)),
    )
    expect(value(out)).toBe(55)
    expect(Math.max(...calls)).toBeLessThanOrEqual(3)
    // 10 inputs -> 3 + 3 + 3 + (1 passed on) -> 6, 15, 24, 10 -> 45 + 10
    expect(calls).toEqual([3, 3, 3, 3, 2])
    expect(freed.sort((a, b) => a - b)).toEqual([6, 15, 24, 45])
  })
})
