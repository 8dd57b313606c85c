import { describe, expect, it } from 'vitest'
import type { MetricSeries } from '@shared/contract'
import { addMetrics, addProgress, upsertPoint, type Point } from './metric-series'

describe('metric series', () => {
  it('keeps one point per step, in step order, when a resumed run repeats steps', () => {
    const points: Point[] = [
      [10, 1],
      [20, 0.8],
      [30, 0.7],
    ]
    upsertPoint(points, 20, 0.75)
    upsertPoint(points, 25, 0.72)
    upsertPoint(points, 40, 0.6)
    expect(points).toEqual([
      [10, 1],
      [20, 0.75],
      [25, 0.72],
      [30, 0.7],
      [40, 0.6],
    ])
  })

  it('adds live progress (total and per-head loss) and validation metrics', () => {
    const metrics: MetricSeries[] = []
    addProgress(metrics, {
      runId: 1,
      step: 5,
      totalSteps: 10,
      epoch: 0,
      imagesPerSecond: 1,
      etaSeconds: 1,
      learningRate: 0.05,
      loss: 0.9,
      lossByHead: { 'demo-au': 0.4 },
    })
    addMetrics(metrics, { runId: 1, step: 5, split: 'val', values: { emotionAccuracy: 0.3, auF1Mean: null } })
    expect(metrics.map((m) => `${m.split}:${m.name}=${JSON.stringify(m.points)}`)).toEqual([
      'train:loss=[[5,0.9]]',
      'train:learningRate=[[5,0.05]]',
      'train:loss/demo-au=[[5,0.4]]',
      'val:emotionAccuracy=[[5,0.3]]',
      'val:auF1Mean=[[5,null]]',
    ])
  })
})
