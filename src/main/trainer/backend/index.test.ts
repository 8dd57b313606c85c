import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { BackendUnavailableError, describeBackends, selectBackend } from './index'

// On this machine tfjs-node and tfjs-node-gpu cannot be installed (their install downloads
// libtensorflow), so these tests see the "not installed" path, as most users without CUDA would.
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
  it('describes every backend without switching the active one', async () => {
    await tf.setBackend('cpu')
    const list = await describeBackends()
    expect(list.map((b) => b.backend)).toEqual(['gpu', 'native', 'wasm', 'cpu'])
    const by = Object.fromEntries(list.map((b) => [b.backend, b]))
    expect(by.gpu.available).toBe(false)
    expect(by.gpu.reason).toContain('@tensorflow/tfjs-node-gpu is not installed')
    expect(by.native.available).toBe(false)
    expect(by.native.reason).toContain('@tensorflow/tfjs-node is not installed')
    expect(by.wasm.available).toBe(true)
    expect(by.cpu.available).toBe(true)
    expect(tf.getBackend()).toBe('cpu')
  })

  it("'auto' falls through gpu and native to wasm and says why", async () => {
    const sel = await selectBackend('auto')
    expect(sel.name).toBe('wasm')
    expect(sel.tfBackend).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(sel.reasons.map((r) => [r.backend, r.available])).toEqual([
      ['gpu', false],
      ['native', false],
      ['wasm', true],
    ])
    expect(sel.reasons[0].reason).toContain('not installed')
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
