import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema, type RunConfigInput } from '../../../shared/run-config'
import type { TrainerCommand, TrainerMessage } from '../../../shared/trainer-protocol'
import { writeTinySnapshot } from '../data/tiny-snapshot.fixture'

// The trainer as main runs it: a separate Node process started with child_process.fork, talking
// only through messages. 'advanced' serialization keeps NaN probabilities NaN (JSON makes them null).

const entry = join(import.meta.dirname, 'entry.ts')
const dir = await mkdtemp(join(tmpdir(), 'trainer-process-test-'))
let snapshotBase = ''
beforeAll(async () => {
  snapshotBase = (await writeTinySnapshot(join(dir, 'data'), { perDataset: 20 })).base
})
afterAll(() => rm(dir, { recursive: true, force: true }))

interface Trainer {
  messages: TrainerMessage[]
  send(command: TrainerCommand): void
  /** Resolves with the exit code. */
  exited: Promise<number | null>
  waitFor(type: TrainerMessage['type']): Promise<TrainerMessage>
}

function startTrainer(): Trainer {
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const messages: TrainerMessage[] = []
  const waiting: { type: string; resolve: (m: TrainerMessage) => void }[] = []
  child.on('message', (m: TrainerMessage) => {
    messages.push(m)
    for (const w of waiting.filter((x) => x.type === m.type)) w.resolve(m)
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    messages,
    send: (command) => child.send(command),
    exited: exited.then((code) => {
      if (code !== 0 && !messages.some((m) => m.type === 'failed'))
        throw new Error(`trainer exited with ${code}: ${stderr}`)
      return code
    }),
    waitFor: (type) => {
      const seen = messages.find((m) => m.type === type)
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ type, resolve }))
    },
  }
}

function trainCommand(
  runDir: string,
  config: RunConfigInput,
  extra: Partial<TrainerCommand & { type: 'train' }> = {},
): TrainerCommand {
  const base: RunConfigInput = {
    method: 'sjmt',
    network: 'resnet-8',
    inputSize: 16,
    batchSize: 8,
    learningRate: 0.05,
    steps: 30,
    validateEvery: 10,
    checkpointEvery: 10,
    backend: 'wasm',
  }
  return {
    type: 'train',
    runId: 1,
    runDir: join(dir, runDir),
    snapshot: snapshotBase,
    config: RunConfigSchema.parse({ ...base, ...config }),
    cacheDir: join(dir, 'cache'),
    predictAfter: false,
    ...extra,
  }
}

const firstIndex = (messages: TrainerMessage[], type: TrainerMessage['type']) =>
  messages.findIndex((m) => m.type === type)

describe('trainer process', () => {
  it('trains, validates, checkpoints, predicts and finishes, in that order, and the loss falls', async () => {
    const trainer = startTrainer()
    trainer.send(trainCommand('full', {}, { predictAfter: true }))
    expect(await trainer.exited).toBe(0)
    const { messages } = trainer
    const order = (['started', 'progress', 'metrics', 'checkpoint', 'predictions', 'finished'] as const).map((t) =>
      firstIndex(messages, t),
    )
    expect(
      order.every((i) => i >= 0),
      JSON.stringify(messages.map((m) => m.type)),
    ).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(messages.at(-1)!.type).toBe('finished')

    const started = messages[0] as Extract<TrainerMessage, { type: 'started' }>
    expect(started).toMatchObject({ backend: 'wasm', totalSteps: 30, step: 0, trainImages: 28, valImages: 8 })
    expect(started.backends.map((b) => b.backend).sort()).toEqual(['cpu', 'gpu', 'native', 'wasm', 'webgpu'])
    expect(started.backends.every((b) => b.reason.length > 0)).toBe(true)

    const losses = messages
      .filter((m) => m.type === 'metrics')
      .map((m) => (m as Extract<TrainerMessage, { type: 'metrics' }>).values.loss!)
    expect(losses).toHaveLength(3)
    expect(losses[2]).toBeLessThan(losses[0])
    const progress = messages.filter((m): m is Extract<TrainerMessage, { type: 'progress' }> => m.type === 'progress')
    expect(progress.at(-1)!.step).toBe(30)
    expect(progress.at(-1)!.loss).toBeLessThan(progress[0].loss)

    const predictions = messages.filter(
      (m): m is Extract<TrainerMessage, { type: 'predictions' }> => m.type === 'predictions',
    )
    expect(predictions.at(-1)).toMatchObject({ done: 40, total: 40 })
    expect(predictions.flatMap((p) => p.imageIds)).toHaveLength(40)
    const finished = messages.at(-1) as Extract<TrainerMessage, { type: 'finished' }>
    expect(existsSync(finished.checkpoint)).toBe(true)
    expect(predictions[0].checkpoint).toMatch(/best\.ckpt$/)
  })

  it('stops on request with a checkpoint, and a new process resumes from it', async () => {
    const first = startTrainer()
    first.send(trainCommand('stopped', { steps: 60 }))
    await first.waitFor('progress')
    first.send({ type: 'stop' })
    expect(await first.exited).toBe(0)
    const stopped = first.messages.at(-1) as Extract<TrainerMessage, { type: 'stopped' }>
    expect(stopped.type).toBe('stopped')
    expect(stopped.step).toBeGreaterThan(0)
    expect(stopped.step).toBeLessThan(60)
    expect(
      first.messages.some(
        (m) => m.type === 'checkpoint' && !m.best && m.step === stopped.step && m.path === stopped.checkpoint,
      ),
    ).toBe(true)

    const second = startTrainer()
    second.send(trainCommand('stopped', { steps: 60 }, { resumeFrom: stopped.checkpoint }))
    expect(await second.exited).toBe(0)
    expect(second.messages[0]).toMatchObject({ type: 'started', step: stopped.step, totalSteps: 60 })
    expect(second.messages.at(-1)).toMatchObject({ type: 'finished', step: 60 })
  })
})
