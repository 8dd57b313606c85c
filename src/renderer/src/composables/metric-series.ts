import type { EventPayload, MetricSeries } from '@shared/contract'

// A run's curves as the charts draw them: the stored series (runs.get) with the live progress and
// metrics events added as they arrive, one point per step (a resumed run overwrites the steps it
// repeats, as main does in run_metrics).

export type Point = [step: number, value: number | null]

/** One curve of a chart. */
export interface ChartSeries {
  label: string
  points: Point[]
}

/** Puts the value at its step, keeping the points ordered by step. */
export function upsertPoint(points: Point[], step: number, value: number | null): void {
  const last = points.length ? points[points.length - 1][0] : -Infinity
  if (step > last) {
    points.push([step, value])
    return
  }
  const at = points.findIndex((p) => p[0] >= step)
  if (points[at][0] === step) points[at] = [step, value]
  else points.splice(at, 0, [step, value])
}

function seriesOf(metrics: MetricSeries[], split: string, name: string): MetricSeries {
  let series = metrics.find((m) => m.split === split && m.name === name)
  if (!series) metrics.push((series = { split, name, points: [] }))
  return series
}

/** Adds a run.progress event: the training loss, the loss of each head, the learning rate. */
export function addProgress(metrics: MetricSeries[], p: EventPayload<'run.progress'>): void {
  upsertPoint(seriesOf(metrics, 'train', 'loss').points, p.step, p.loss)
  upsertPoint(seriesOf(metrics, 'train', 'learningRate').points, p.step, p.learningRate)
  for (const [head, loss] of Object.entries(p.lossByHead))
    upsertPoint(seriesOf(metrics, 'train', `loss/${head}`).points, p.step, loss)
}

/** Adds a run.metrics event: every value of one evaluation. */
export function addMetrics(metrics: MetricSeries[], m: EventPayload<'run.metrics'>): void {
  for (const [name, value] of Object.entries(m.values))
    upsertPoint(seriesOf(metrics, m.split, name).points, m.step, value)
}

/** The series to draw for the names given, in that order, skipping those the run has not produced. */
export const pick = (metrics: MetricSeries[], split: string, names: readonly string[]): MetricSeries[] =>
  names.flatMap((name) => metrics.filter((m) => m.split === split && m.name === name))
