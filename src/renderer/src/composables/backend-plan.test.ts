import { describe, expect, it } from 'vitest'
import type { BackendStatus } from '@shared/contract'
import { backendPlan } from './backend-plan'

const here: BackendStatus[] = [
  { backend: 'gpu', available: false, reason: 'libcudnn.so.8 is missing' },
  { backend: 'native', available: false, reason: '@tensorflow/tfjs-node is not installed' },
  { backend: 'wasm', available: true, reason: 'WebAssembly with SIMD and 2 threads' },
  { backend: 'cpu', available: true, reason: 'always available' },
]

describe('backendPlan', () => {
  it('says which backend auto takes and which faster ones do not load', () => {
    const plan = backendPlan('auto', here)
    expect(plan).toMatchObject({ backend: 'wasm', blocked: false })
    expect(plan.explanation).toBe('auto will use WebAssembly: gpu and native do not load on this machine (why: below).')
  })

  it('blocks a backend that cannot load, with its reason', () => {
    expect(backendPlan('gpu', here)).toMatchObject({ backend: null, blocked: true, explanation: expect.stringContaining('libcudnn.so.8') })
    expect(backendPlan('cpu', here)).toMatchObject({ backend: 'cpu', blocked: false })
  })
})

describe('backendPlan on a GPU machine', () => {
  it('takes the GPU', () => {
    expect(backendPlan('auto', here.map((s) => ({ ...s, available: true })))).toMatchObject({ backend: 'gpu', explanation: 'auto will use GPU (CUDA, tfjs-node-gpu), the fastest backend.' })
  })
})
