import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultRunConfig } from '../../shared/run-config'
import { checkpointTempPath, loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint'

const dir = await mkdtemp(join(tmpdir(), 'checkpoint-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

const checkpoint = (step: number): Checkpoint => ({
  step,
  epoch: 3,
  bestScore: 0.459,
  config: { ...defaultRunConfig(), network: 'resnet-110', initFrom: '7' },
  classes: [
    { code: 'happy', kind: 'emotion' },
    { code: 'AU12', kind: 'au' },
  ],
  snapshotHash: 'ab'.repeat(32),
  weights: [
    {
      name: 'conv1/kernel',
      shape: [3, 3, 3, 16],
      data: Float32Array.from({ length: 432 }, (_, i) => Math.sin(i + step)),
    },
    { name: 'head/bias', shape: [2], data: Float32Array.from([0.25, -1.5]) },
    { name: 'scalar', shape: [], data: Float32Array.from([step]) },
  ],
  optimizer: [
    { name: 'iter', shape: [], data: Int32Array.from([step]) },
    { name: 'conv1/kernel/momentum', shape: [3, 3, 3, 16], data: new Float32Array(432).fill(0.125) },
  ],
  batchNorm: [{ name: 'bn1/moving_mean', shape: [16], data: Float32Array.from({ length: 16 }, (_, i) => i / 3) }],
})

describe('checkpoints', () => {
  it('give back exactly what was saved, int32 counters included', async () => {
    const path = join(dir, 'a.ckpt')
    await saveCheckpoint(path, checkpoint(5000))
    const back = await loadCheckpoint(path)
    expect(back).toEqual(checkpoint(5000))
    expect(back.optimizer[0].data).toBeInstanceOf(Int32Array)
    expect(back.weights[0].data).toBeInstanceOf(Float32Array)
  })

  it('keep the previous checkpoint readable when a save dies before the rename', async () => {
    const path = join(dir, 'b.ckpt')
    await saveCheckpoint(path, checkpoint(1000))
    // A crash mid-write leaves a half-written temporary file and never reaches the rename.
    await saveCheckpoint(join(dir, 'c.ckpt'), checkpoint(2000))
    const full = await readFile(join(dir, 'c.ckpt'))
    await writeFile(checkpointTempPath(path), full.subarray(0, Math.floor(full.length / 2)))
    expect((await loadCheckpoint(path)).step).toBe(1000)
    // The next save replaces the stale temporary file.
    await saveCheckpoint(path, checkpoint(3000))
    expect((await loadCheckpoint(path)).step).toBe(3000)
  })

  it('refuse a truncated, damaged or foreign file, naming it', async () => {
    const path = join(dir, 'd.ckpt')
    await saveCheckpoint(path, checkpoint(10))
    const full = await readFile(path)
    await writeFile(path, full.subarray(0, full.length - 4))
    await expect(loadCheckpoint(path)).rejects.toThrow(/d\.ckpt: truncated or damaged/)
    const flipped = Buffer.from(full)
    flipped[flipped.length - 1] ^= 0xff
    await writeFile(path, flipped)
    await expect(loadCheckpoint(path)).rejects.toThrow(/checksum/)
    await writeFile(path, 'hello')
    await expect(loadCheckpoint(path)).rejects.toThrow(/not a workbench checkpoint/)
  })

  it('refuse a tensor whose values do not fill its shape', async () => {
    const bad = checkpoint(1)
    bad.weights[1].shape = [3]
    await expect(saveCheckpoint(join(dir, 'e.ckpt'), bad)).rejects.toThrow(/'head\/bias' has 2 values but shape \[3\]/)
  })
})
