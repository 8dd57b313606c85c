import type { EventPayload, RunStatus } from '@shared/contract'

// What the progress bar of a run says: step, epoch, images per second and time left. From the live
// progress event while the trainer runs, else from the run as stored (a reopened view, a stopped run).

export type LiveProgress = EventPayload<'run.progress'>

export interface RunForProgress {
  status: RunStatus
  step: number
  totalSteps: number
  trainImages: number
  imagesPerSecond: number | null
  config?: { batchSize: number }
}

export interface ProgressView {
  step: number
  totalSteps: number
  /** 0..1 */
  fraction: number
  /** 1-based epoch the run is in, and how many it lasts (null without the batch size). */
  epoch: number | null
  epochs: number | null
  imagesPerSecond: number | null
  /** Time left; null when the run is not training. */
  etaSeconds: number | null
}

export const isActive = (status: RunStatus): boolean =>
  status === 'starting' || status === 'running' || status === 'stopping'

export function progressView(run: RunForProgress, live: LiveProgress | null): ProgressView {
  const active = isActive(run.status)
  const fresh = active && live !== null && live.step >= run.step
  const step = fresh ? live.step : run.step
  const totalSteps = (fresh ? live.totalSteps : run.totalSteps) || 1
  const batch = run.config?.batchSize
  const perEpoch = batch && run.trainImages ? run.trainImages / batch : null
  const imagesPerSecond = fresh ? live.imagesPerSecond : run.imagesPerSecond
  let etaSeconds: number | null = null
  if (active && fresh) etaSeconds = live.etaSeconds
  else if (active && imagesPerSecond && batch) etaSeconds = ((totalSteps - step) * batch) / imagesPerSecond
  return {
    step,
    totalSteps,
    fraction: Math.min(1, step / totalSteps),
    epoch: perEpoch ? Math.min(Math.floor(step / perEpoch) + 1, Math.ceil(totalSteps / perEpoch)) : null,
    epochs: perEpoch ? Math.ceil(totalSteps / perEpoch) : null,
    imagesPerSecond: imagesPerSecond ?? null,
    etaSeconds,
  }
}
