import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema, type RunConfigInput } from '../../../shared/run-config'
import type { TrainerMessage } from '../../../shared/trainer-protocol'
import { writeTinySnapshot } from '../data/tiny-snapshot.fixture'
import { GpuFaultError } from '../backend'
import { RunInterruptedError } from '../loop/interrupted'
import { explainFailure, isOutOfMemory } from './failure'
import { everyBackend, runTrainerCommand } from './run-command'

// Failures reach main as a `failed` message with a reason a researcher can act on.

const dir = await mkdtemp(join(tmpdir(), 'run-command-test-'))
let tiny: Awaited<ReturnType<typeof writeTinySnapshot>>
beforeAll(async () => {
  tiny = await writeTinySnapshot(join(dir, 'data'), { perDataset: 6 })
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function train(
  config: RunConfigInput,
  cacheDir: string,
): Promise<{ result: string; messages: TrainerMessage[] }> {
  const messages: TrainerMessage[] = []
  const command = {
    type: 'train' as const,
    runId: 1,
    runDir: join(dir, 'run'),
    snapshot: tiny.base,
    config: RunConfigSchema.parse({ network: 'resnet-8', inputSize: 8, batchSize: 4, steps: 2, ...config }),
    cacheDir,
    predictAfter: false,
  }
  const result = await runTrainerCommand(
    command,
    (m) => messages.push(m),
    () => {},
  )
  return { result, messages }
}

describe('trainer failures', () => {
  it('names the missing image file', async () => {
    const { rm: remove } = await import('node:fs/promises')
    await remove(tiny.snapshot.images[3].path)
    const { result, messages } = await train({ backend: 'wasm' }, join(dir, 'fresh-cache'))
    expect(result).toBe('failed')
    const failed = messages.at(-1)!
    expect(failed).toMatchObject({
      type: 'failed',
      reason: expect.stringContaining(
        `image ${tiny.snapshot.images[3].id}: file ${tiny.snapshot.images[3].path} is missing`,
      ),
    })
    expect((failed as { reason: string }).reason).toMatch(/restore the file, or re-import its dataset/)
  })

  it("gives the backend's own reason when the chosen backend cannot load", async () => {
    // tfjs-node-gpu is an optional dependency, not installed on this machine (nor, usually, CUDA).
    const { result, messages } = await train({ backend: 'gpu' }, join(dir, 'cache'))
    expect(result).toBe('failed')
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({
      type: 'failed',
      reason: expect.stringMatching(/^the gpu backend cannot be used: .+\. Choose another backend/),
    })
  })

  it('explains running out of memory with the batch size to lower', () => {
    expect(isOutOfMemory('Array buffer allocation failed')).toBe(true)
    expect(isOutOfMemory('RangeError: WebAssembly.Memory(): could not allocate memory')).toBe(true)
    expect(isOutOfMemory('OOM when allocating tensor with shape[128,16,32,32]')).toBe(true)
    expect(isOutOfMemory('file /data/room/img.png')).toBe(false)
    const f = explainFailure(new RangeError('Array buffer allocation failed'), {
      batchSize: 512,
      inputSize: 64,
      network: 'resnet-110',
    })
    expect(f.reason).toBe(
      'the trainer ran out of memory: use a smaller batch size (now 512) or the input size (now 64px), or a smaller network than resnet-110.',
    )
    expect(f.detail).toMatch(/RangeError/)
  })

  it('reports an invalid run config by field', async () => {
    const messages: TrainerMessage[] = []
    const config = { ...RunConfigSchema.parse({}), batchSize: 0, backend: 'wasm' as const }
    await runTrainerCommand(
      {
        type: 'train',
        runId: 1,
        runDir: join(dir, 'bad'),
        snapshot: tiny.base,
        config,
        cacheDir: dir,
        predictAfter: false,
      },
      (m) => messages.push(m),
      () => {},
    )
    expect(messages.at(-1)).toMatchObject({
      type: 'failed',
      reason: expect.stringMatching(/run config is not valid: batchSize: /),
    })
  })

  it('explains a GPU out of memory and a rejected computation mid-run, with the checkpoint that resumes the run', () => {
    const oom = explainFailure(
      new RunInterruptedError(new GpuFaultError('out-of-memory', 'the GPU ran out of memory (Allocation failed)'), 9, {
        step: 8,
        path: '/w/runs/3/last.ckpt',
      }),
      { batchSize: 128 },
    )
    expect(oom.reason).toBe(
      'at step 10, the GPU ran out of memory (Allocation failed): close other programs using the GPU, or start a new run initialised from this one with a smaller batch size (now 128) or input size. Resume the run to continue from its checkpoint of step 8 (on this or another backend).',
    )
    const invalid = explainFailure(
      new RunInterruptedError(
        new GpuFaultError('invalid', 'WebGPU rejected a computation, so its results cannot be trusted (x)'),
        0,
        null,
      ),
    )
    expect(invalid.reason).toBe(
      "at step 1, WebGPU rejected a computation, so its results cannot be trusted (x). This is a bug in a GPU kernel on this adapter: please report it with the run's messages, and meanwhile train on another backend. It had written no checkpoint yet: start it again.",
    )
  })

  it('lists every backend with a reason, tried or not', () => {
    const tried = [
      { backend: 'gpu' as const, available: false, reason: 'libcudart.so.11.0 not found' },
      { backend: 'webgpu' as const, available: false, reason: 'no Vulkan loader' },
      { backend: 'native' as const, available: true, reason: 'ok' },
    ]
    const list = everyBackend(tried, 'native', 'auto')
    expect(list.map((b) => [b.backend, b.available])).toEqual([
      ['gpu', false],
      ['webgpu', false],
      ['native', true],
      ['wasm', false],
      ['cpu', false],
    ])
    expect(list[1].reason).toBe('no Vulkan loader')
    expect(list[3].reason).toBe("not tried: 'native' loaded first")
  })
})
