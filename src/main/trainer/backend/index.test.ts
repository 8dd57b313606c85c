import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { BackendUnavailableError, selectBackend } from './index'
import { useSwiftShader } from './webgpu-test-env.fixture'

// On this machine tfjs-node and tfjs-node-gpu cannot be installed (their install downloads
// libtensorflow), so these tests see the "not installed" path, as most users without CUDA would.
// WebGPU finds only SwiftShader's software adapter here (as in CI), which 'auto' must pass over.
useSwiftShader()
function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg)
    return true
  } catch {
    return false
  }
}
const nativeAbsent = !installed('@tensorflow/tfjs-node') && !installed('@tensorflow/tfjs-node-gpu')

describe.runIf(nativeAbsent)('backend selection without tfjs-node', () => {
  it("'auto' falls through gpu, a software WebGPU adapter and native to wasm, and says why", async () => {
    const sel = await selectBackend('auto')
    expect(sel.name).toBe('wasm')
    expect(sel.tfBackend).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(sel.reasons.map((r) => [r.backend, r.available])).toEqual([
      ['gpu', false],
      ['webgpu', false],
      ['native', false],
      ['wasm', true],
    ])
    expect(sel.reasons[0].reason).toContain('not installed')
    const webgpu = sel.reasons[1]
    expect(webgpu.reason).toMatch(
      /only a software adapter \(SwiftShader.*auto does not use it; ask for backend 'webgpu'/,
    )
    expect(webgpu.adapter).toMatchObject({ architecture: 'swiftshader', software: true })
  })

  it('an explicit webgpu choice takes the software adapter and reports it', async () => {
    const sel = await selectBackend('webgpu')
    expect(sel).toMatchObject({ name: 'webgpu', tfBackend: 'webgpu', adapter: { software: true } })
    expect(sel.adapter!.maxBufferSize).toBeGreaterThan(0)
    expect(sel.reasons[0].reason).toMatch(/^WebGPU \(Dawn\) on SwiftShader.*a software adapter/)
    expect(tf.getBackend()).toBe('webgpu')
  })

  it('an explicit gpu choice fails with the reason as the message', async () => {
    const err = await selectBackend('gpu').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BackendUnavailableError)
    expect((err as Error).message).toContain('@tensorflow/tfjs-node-gpu is not installed')
    expect((err as BackendUnavailableError).reasons).toHaveLength(1)
  })

  it('an explicit cpu choice switches to the JavaScript backend', async () => {
    const sel = await selectBackend('cpu')
    expect(sel).toMatchObject({ name: 'cpu', tfBackend: 'cpu' })
    expect(tf.getBackend()).toBe('cpu')
  })

  it('rejects an unknown choice by name', async () => {
    await expect(selectBackend('tpu' as never)).rejects.toThrow(/unknown backend 'tpu'/)
  })
})
