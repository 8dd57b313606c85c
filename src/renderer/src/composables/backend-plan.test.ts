import { describe, expect, it } from 'vitest'
import type { BackendStatus } from '@shared/contract'
import { adapterLine, backendPlan } from './backend-plan'

const here: BackendStatus[] = [
  { backend: 'gpu', available: false, reason: 'libcudnn.so.8 is missing' },
  {
    backend: 'webgpu',
    available: false,
    reason: 'no Vulkan loader (libvulkan.so.1), which WebGPU needs on Linux: install libvulkan1',
  },
  { backend: 'native', available: false, reason: '@tensorflow/tfjs-node is not installed' },
  { backend: 'wasm', available: true, reason: 'WebAssembly with SIMD and 2 threads' },
  { backend: 'cpu', available: true, reason: 'always available' },
]

describe('backendPlan', () => {
  it('says which backend auto takes and which faster ones do not load', () => {
    const plan = backendPlan('auto', here)
    expect(plan).toMatchObject({ backend: 'wasm', blocked: false })
    expect(plan.explanation).toBe(
      'auto will use WebAssembly: gpu and webgpu and native do not load on this machine (why: below).',
    )
  })

  it('blocks a backend that cannot load, with its reason', () => {
    expect(backendPlan('gpu', here)).toMatchObject({
      backend: null,
      blocked: true,
      explanation: expect.stringContaining('libcudnn.so.8'),
    })
    expect(backendPlan('cpu', here)).toMatchObject({ backend: 'cpu', blocked: false })
  })

  it('ends a reason that ends with its own full stop with one full stop, not two', () => {
    const stopped: BackendStatus[] = [{ backend: 'wasm', available: false, reason: 'it was stopped; reinstall it.' }]
    expect(backendPlan('wasm', stopped).explanation).toBe(
      'WebAssembly cannot load here: it was stopped; reinstall it. Choose auto or an available backend.',
    )
  })
})

describe('backendPlan on a GPU machine', () => {
  it('takes the GPU', () => {
    expect(
      backendPlan(
        'auto',
        here.map((s) => ({ ...s, available: true })),
      ),
    ).toMatchObject({ backend: 'gpu', explanation: 'auto will use GPU (CUDA, tfjs-node-gpu), the fastest backend.' })
  })
})

const adapter = (software: boolean) => ({
  vendor: software ? 'google' : 'amd',
  architecture: software ? 'swiftshader' : 'rdna-3',
  device: '',
  description: software ? 'SwiftShader driver 5.0.0' : 'AMD Radeon RX 7600',
  software,
  maxBufferSize: 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 30,
  maxComputeWorkgroupStorageSize: 32768,
})

describe('backendPlan with WebGPU', () => {
  const withWebgpu = (software: boolean): BackendStatus[] =>
    here.map((s) =>
      s.backend === 'webgpu'
        ? { backend: 'webgpu', available: true, reason: 'WebGPU (Dawn) on ...', adapter: adapter(software) }
        : s,
    )

  it('auto takes a hardware adapter before the CPU backends', () => {
    expect(backendPlan('auto', withWebgpu(false))).toMatchObject({
      backend: 'webgpu',
      explanation:
        'auto will use GPU through WebGPU (Vulkan, Metal, Direct3D 12): gpu does not load on this machine (why: below).',
    })
  })

  it('auto passes over a software adapter, which can still be chosen by name', () => {
    expect(backendPlan('auto', withWebgpu(true))).toMatchObject({
      backend: 'wasm',
      explanation:
        'auto will use WebAssembly: gpu and native do not load on this machine; webgpu only has a software adapter, slower than the CPU backends (choose it by name to use it anyway) (why: below).',
    })
    expect(backendPlan('webgpu', withWebgpu(true))).toMatchObject({ backend: 'webgpu', blocked: false })
  })

  it('describes an adapter in a line', () => {
    expect(adapterLine(adapter(false))).toBe(
      'AMD Radeon RX 7600 (amd rdna-3); largest buffer 1,024 MiB, workgroup storage 32 KiB',
    )
    expect(adapterLine(adapter(true))).toBe(
      'SwiftShader driver 5.0.0 (google swiftshader), a software adapter that runs on the CPU; largest buffer 1,024 MiB, workgroup storage 32 KiB',
    )
  })
})
