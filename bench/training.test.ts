import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { activateWasm } from '../src/main/trainer/backend/wasm'
import { benchCommand } from './training-command'
import { convRatiosOf, convShareOf, profileKernels } from './kernel-profile'
import { parsePeerLine } from './pytorch-peer'
import { median } from './training'

describe('parsePeerLine', () => {
  it("reads the PyTorch peer's images per second", () => {
    const run = parsePeerLine('torch1.13.0a0 resnet-20 B=32 threads=1 ms/step 85.4 img/s 374.8\n')
    expect(run.imagesPerSecond).toBe(374.8)
    expect(run.line).toContain('resnet-20 B=32')
  })
  it('says what the peer printed when there is no figure', () => {
    expect(() => parsePeerLine('Traceback (most recent call last):')).toThrow(/no "img\/s" figure: Traceback/)
  })
})

describe('median', () => {
  it('is robust to one disturbed round', () => {
    expect(median([78, 80, 20])).toBe(78)
    expect(median([1, 3, 2, 4])).toBe(2.5)
  })
})

describe('profileKernels', () => {
  beforeAll(async () => {
    await activateWasm()
  })

  it('times each conv kernel once, lists kernels a composite kernel calls apart, and restores the kernels afterwards', async () => {
    const original = tf.getKernel('Conv2D', 'wasm')!.kernelFunc
    // A composite kernel that runs Conv2D through the registry, as a kernel built from others would.
    tf.registerKernel({
      kernelName: 'AffectTestComposite',
      backendName: 'wasm',
      kernelFunc: (args) => tf.getKernel('Conv2D', 'wasm')!.kernelFunc(args),
    })
    const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D
    const w = tf.randomNormal([3, 3, 4, 4]) as tf.Tensor4D
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1] } as unknown as tf.NamedAttrMap
    try {
      const p = await profileKernels('wasm', async () => {
        tf.tidy(() =>
          tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([
            x,
            w,
          ]),
        )
        tf.dispose(tf.engine().runKernel('AffectTestComposite', { x, filter: w }, attrs) as tf.Tensor)
      })
      const calls = (name: string) => p.kernels.find((k) => k.kernel === name)?.calls
      expect(calls('Conv2DBackpropFilter')).toBe(1)
      expect(calls('Conv2DBackpropInput')).toBe(1)
      // The conv inside the composite kernel is listed under it, not as a second forward conv.
      expect(calls('Conv2D')).toBe(1)
      expect(calls('AffectTestComposite')).toBe(1)
      expect(p.nested.some((k) => k.kernel === 'AffectTestComposite>Conv2D')).toBe(true)
      const inKernels = p.kernels.reduce((s, k) => s + k.ms, 0)
      expect(inKernels).toBeLessThanOrEqual(p.totalMs + 1e-6)
      expect(convShareOf(p)).toBeGreaterThan(0)
      expect(convShareOf(p)).toBeLessThanOrEqual(1)
      const ratios = convRatiosOf(p)
      expect(ratios.filterGradient).toBeCloseTo(
        p.kernels.find((k) => k.kernel === 'Conv2DBackpropFilter')!.ms /
          p.kernels.find((k) => k.kernel === 'Conv2D')!.ms,
      )
      expect(ratios.inputGradient).toBeGreaterThan(0)
      expect(tf.getKernel('Conv2D', 'wasm')!.kernelFunc).toBe(original)
    } finally {
      tf.unregisterKernel('AffectTestComposite', 'wasm')
      tf.dispose([x, w])
    }
  })

  it('has no conv ratios without a forward conv', () => {
    expect(
      convRatiosOf({ totalMs: 1, kernels: [{ kernel: 'Add', ms: 1, calls: 1 }], overheadMs: 0, nested: [] }),
    ).toEqual({ filterGradient: null, inputGradient: null })
  })
})

describe('benchCommand', () => {
  it('times a real training run and the predict command, and prints a JSON summary as the last line', async () => {
    const lines: string[] = []
    await benchCommand({
      json: true,
      arch: 'resnet-8',
      batch: 2,
      steps: 1,
      rounds: 1,
      backend: 'wasm',
      peer: false,
      predictImages: 300,
      print: (l) => lines.push(l),
    })
    const summary = JSON.parse(lines[lines.length - 1])
    expect(summary).toMatchObject({
      backend: 'wasm',
      peerImagesPerSecond: null,
      ratio: null,
      arch: 'resnet-8',
      batch: 2,
      threads: 1,
      workers: 1,
      inferenceRatio: null,
      workersReason: '1 worker: asked for 1 thread',
    })
    expect(summary.imagesPerSecond).toBeGreaterThan(0)
    expect(summary.inferenceImagesPerSecond).toBeGreaterThan(0)
    expect(summary.convShare).toBeGreaterThan(0)
  })

  it('rejects an unknown network or backend by option name', async () => {
    await expect(benchCommand({ json: true, arch: 'resnet-19' })).rejects.toThrow(/--arch: unknown network 'resnet-19'/)
    await expect(benchCommand({ json: true, backend: 'tpu' })).rejects.toThrow(/--backend: unknown backend 'tpu'/)
  })
})
