// @vitest-environment happy-dom
import type { RunDetail, RunSummary } from '@shared/contract'
import { defaultRunConfig } from '@shared/run-config'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { fakeTransport } from './fake-transport.test-kit'
import { useRunsStore } from './runs'

const summary = (over: Partial<RunSummary> = {}): RunSummary => ({
  id: 4,
  name: 'sjmt resnet-8',
  method: 'sjmt',
  network: 'resnet-8',
  datasets: ['demo-emotion'],
  status: 'running',
  statusReason: null,
  backend: 'wasm',
  step: 10,
  totalSteps: 100,
  trainImages: 160,
  valImages: 20,
  imagesPerSecond: 300,
  bestScore: null,
  createdAt: '',
  endedAt: null,
  seconds: 3,
  latest: {},
  hasPredictions: false,
  ...over,
})
const detail = (): RunDetail => ({
  ...summary(),
  config: defaultRunConfig(),
  backends: [],
  snapshotHash: 'x',
  checkpoints: [],
  metrics: [{ split: 'train', name: 'loss', points: [[10, 0.9]] }],
  initFrom: null,
})

let main: ReturnType<typeof fakeTransport>

beforeEach(() => {
  setActivePinia(createPinia())
  main = fakeTransport('headless', {
    'runs.get': () => detail(),
    'runs.messages': () => [{ at: '2025-01-01T00:00:00Z', level: 'info', message: 'Training on the wasm backend' }],
    'runs.stop': () => summary({ status: 'stopping' }),
    'runs.resume': () => {
      throw new Error('Run 4 is already running.')
    },
  })
})

describe('the runs store', () => {
  it('keeps an opened run live: progress, curves, validation metrics and messages arrive as events', async () => {
    const store = useRunsStore()
    await store.loadRun(4)
    main.emit('run.progress', {
      runId: 4,
      step: 20,
      totalSteps: 100,
      epoch: 1,
      imagesPerSecond: 320,
      etaSeconds: 5,
      learningRate: 0.05,
      loss: 0.7,
      lossByHead: { union: 0.7 },
    })
    main.emit('run.metrics', { runId: 4, step: 20, split: 'val', values: { emotionAccuracy: 0.4 } })
    main.emit('run.log', { runId: 4, level: 'warn', message: 'decoded 5 of 5 images' })
    main.emit('run.progress', {
      runId: 9,
      step: 1,
      totalSteps: 2,
      epoch: 0,
      imagesPerSecond: 1,
      etaSeconds: 1,
      learningRate: 0.05,
      loss: 5,
      lossByHead: {},
    })
    const run = store.details[4]
    expect(run.step).toBe(20)
    expect(run.metrics.find((m) => m.name === 'loss')?.points).toEqual([
      [10, 0.9],
      [20, 0.7],
    ])
    expect(run.metrics.find((m) => m.split === 'val' && m.name === 'emotionAccuracy')?.points).toEqual([[20, 0.4]])
    expect(store.messages[4].map((m) => m.message)).toEqual(['Training on the wasm backend', 'decoded 5 of 5 images'])
    expect(store.live[4].etaSeconds).toBe(5)
  })

  it('takes a status change from run.updated, and shows a refused call in words', async () => {
    const store = useRunsStore()
    await store.loadRun(4)
    main.emit('run.updated', { run: summary({ status: 'failed', statusReason: 'The trainer ran out of memory.' }) })
    expect(store.details[4]).toMatchObject({ status: 'failed', statusReason: 'The trainer ran out of memory.' })
    expect(store.runs.map((r) => r.id)).toEqual([4])
    await store.resume(4)
    expect(store.error).toBe('Run 4 is already running.')
    await store.stop(4)
    expect(store.error).toBeNull()
    expect(main.calls.map((c) => c.method)).toContain('runs.stop')
  })
})
