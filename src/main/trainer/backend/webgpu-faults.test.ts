import { describe, expect, it } from 'vitest'
import { watchDevice, type GpuFault } from './webgpu'

// What the training loop learns from Dawn about a device in trouble: a stand-in device raises the
// events a real one does (a driver reset, an allocation the GPU could not make, a rejected shader).

class OutOfMemoryError extends Error {}
Object.defineProperty(OutOfMemoryError, 'name', { value: 'GPUOutOfMemoryError' })

function fakeDevice() {
  let lose: (info: { reason: string; message: string }) => void = () => {}
  const listeners: ((event: { error: { message: string; constructor: { name: string } } }) => void)[] = []
  return {
    device: {
      lost: new Promise<{ reason: string; message: string }>((resolve) => (lose = resolve)),
      addEventListener: (_: 'uncapturederror', l: (typeof listeners)[number]) => void listeners.push(l),
    },
    lose: (reason: string, message: string) => lose({ reason, message }),
    raise: (error: Error) => listeners.forEach((l) => l({ error })),
  }
}

describe('watching a GPU device', () => {
  it('reports a lost device with its reason, an out-of-memory error, and any other uncaught error as untrustworthy results', async () => {
    const faults: GpuFault[] = []
    const fake = fakeDevice()
    watchDevice(fake.device, (f) => faults.push(f))
    fake.raise(new OutOfMemoryError('Allocation of 2147483648 bytes failed\n - While calling [Device].CreateBuffer'))
    fake.raise(new Error('[Invalid ComputePipeline "AddNPackedProgram"] is invalid due to a previous error.'))
    fake.lose('unknown', 'VK_ERROR_DEVICE_LOST')
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(faults).toEqual([
      { kind: 'out-of-memory', message: 'the GPU ran out of memory (Allocation of 2147483648 bytes failed)' },
      {
        kind: 'invalid',
        message:
          'WebGPU rejected a computation, so its results cannot be trusted ([Invalid ComputePipeline "AddNPackedProgram"] is invalid due to a previous error.)',
      },
      { kind: 'lost', message: 'the GPU device was lost (unknown: VK_ERROR_DEVICE_LOST)' },
    ])
  })
})
