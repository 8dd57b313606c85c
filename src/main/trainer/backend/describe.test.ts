import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { forkNodeProcess, nodeTrainerLauncher, type TrainerLauncher } from '../../runs/trainer-host'
import { describeBackends, probeInChild } from './describe'
import { useSwiftShader } from './webgpu-test-env.fixture'

// Backends are probed in trainer processes: here with the real trainer, and with stand-ins that
// crash the way a native library can (a segmentation fault), hang, or die with a message.

const dir = await mkdtemp(join(tmpdir(), 'probe-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

async function fakeProbe(name: string, onCommand: string): Promise<TrainerLauncher> {
  const file = join(dir, `${name}.mjs`)
  await writeFile(file, `process.on('message', () => { ${onCommand} })\n`)
  return (options) => forkNodeProcess({ file, typescript: false }, options)
}

describe('probing backends in child processes', () => {
  it('survives a probe that segfaults, and says which backend crashed it and what to do', async () => {
    const launch = await fakeProbe(
      'segfault',
      "process.stderr.write('loading libtensorflow...\\n'); process.kill(process.pid, 'SIGSEGV')",
    )
    const status = await probeInChild('webgpu', { launch })
    expect(status.available).toBe(false)
    expect(status.reason).toBe(
      'looking for a GPU through WebGPU (Dawn and the graphics driver) crashed the process that tried it (signal SIGSEGV: loading libtensorflow...); update the graphics driver (Vulkan on Linux, Metal on macOS, Direct3D 12 on Windows). The workbench itself is unaffected.',
    )
    expect(process.exitCode ?? 0).toBe(0)
  })

  it('ends a probe that does not answer in time', async () => {
    const launch = await fakeProbe('hang', 'setInterval(() => {}, 1000)')
    const started = Date.now()
    const status = await probeInChild('gpu', { launch, timeoutMs: 1500 })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(status).toMatchObject({ backend: 'gpu', available: false })
    expect(status.reason).toMatch(
      /^loading @tensorflow\/tfjs-node-gpu \(libtensorflow with CUDA\) did not finish within 2 s, so the process was stopped \(a very busy machine can be this slow: ask again when it is quieter\); otherwise check the CUDA 11\.2/,
    )
  })

  it('reports the exit code and last line of a probe that exits without answering', async () => {
    const launch = await fakeProbe(
      'exits',
      "process.stderr.write('Illegal instruction in libtensorflow_framework.so.2\\n'); process.exit(132)",
    )
    const status = await probeInChild('native', { launch })
    expect(status.reason).toMatch(
      /^loading @tensorflow\/tfjs-node \(libtensorflow\) crashed the process that tried it \(exit code 132: Illegal instruction in libtensorflow_framework\.so\.2\); reinstall it/,
    )
  })

  it('describes every backend with the real trainer: WebGPU with its adapter, wasm, cpu; tfjs-node packages not installed here', async () => {
    useSwiftShader()
    const list = await describeBackends({ launch: nodeTrainerLauncher })
    expect(list.map((b) => b.backend)).toEqual(['gpu', 'webgpu', 'native', 'wasm', 'cpu'])
    const by = Object.fromEntries(list.map((b) => [b.backend, b]))
    expect(by.gpu).toMatchObject({
      available: false,
      reason: expect.stringContaining('@tensorflow/tfjs-node-gpu is not installed'),
    })
    expect(by.native).toMatchObject({
      available: false,
      reason: expect.stringContaining('@tensorflow/tfjs-node is not installed'),
    })
    expect(by.webgpu).toMatchObject({ available: true, adapter: { architecture: 'swiftshader', software: true } })
    expect(by.webgpu.reason).toMatch(/SwiftShader.*a software adapter.*auto does not pick a software adapter/)
    expect(by.wasm.available).toBe(true)
    expect(by.cpu.available).toBe(true)
  }, 120_000)
})
