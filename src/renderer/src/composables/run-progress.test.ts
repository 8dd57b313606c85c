import { describe, expect, it } from 'vitest'
import { progressView, type LiveProgress } from './run-progress'

const run = {
  status: 'running' as const,
  step: 40,
  totalSteps: 300,
  trainImages: 226,
  imagesPerSecond: 400,
  config: { batchSize: 16 },
}
const live: LiveProgress = {
  runId: 1,
  step: 120,
  totalSteps: 300,
  epoch: 8,
  imagesPerSecond: 480,
  etaSeconds: 6,
  learningRate: 0.05,
  loss: 0.4,
  lossByHead: {},
}

describe('progressView', () => {
  it('follows the live progress while the run trains', () => {
    expect(progressView(run, live)).toMatchObject({
      step: 120,
      fraction: 0.4,
      imagesPerSecond: 480,
      etaSeconds: 6,
      epoch: 9,
      epochs: 22,
    })
  })

  it('works from the stored run when the view reopens, estimating the time left', () => {
    const view = progressView(run, null)
    expect(view).toMatchObject({ step: 40, imagesPerSecond: 400 })
    expect(view.etaSeconds).toBeCloseTo((260 * 16) / 400)
  })

  it('shows a stopped run where it stopped, with no time left', () => {
    expect(progressView({ ...run, status: 'stopped' }, live)).toMatchObject({ step: 40, etaSeconds: null })
  })
})
