import type { Database } from 'better-sqlite3'
import type { BackendStatus, RunMessage } from '../../shared/contract'
import type { TrainerMessage } from '../../shared/trainer-protocol'
import { prepared } from '../db/statements'
import type { EventBus } from '../app/event-bus'
import { storedPath } from '../workspace/stored-paths'
import { predictedImageCount, storePredictionBatch, type PredictionBatch } from './prediction-store'
import { appendRunMessage } from './run-messages'
import { runRow, runSummary } from './run-rows'

/** What a trainer process does for a run: train it (and predict at the end), or only predict with a checkpoint. */
export type TrainerJob = 'train' | 'predict'

/**
 * Persists what a trainer reports about one run and tells the UIs. The trainer never writes the
 * catalogue; this is the only place its messages become rows. A prediction job never changes the
 * run itself (status, step, backend, image counts): a finished run stays finished whether the
 * prediction works or not, and how it went is said in the run's messages.
 */
export class RunRecorder {
  private startedAt = Date.now()
  private baseSeconds: number
  private ended = false
  /** A training job resumed at its last step: it only predicts. */
  private predicting = false
  private predicted = 0
  private failed: string | null = null
  private stoppedByUser = false

  /** `messagesFile`: where the run's messages are kept (run-messages.ts); without it they are only published. */
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    readonly runId: number,
    private readonly messagesFile?: string,
    readonly job: TrainerJob = 'train',
  ) {
    this.baseSeconds = runRow(db, runId).seconds
  }

  get isEnded(): boolean {
    return this.ended
  }

  /** Images this trainer predicted (and were stored). */
  get predictedImages(): number {
    return this.predicted
  }

  /** A prediction job that ended because it was asked to stop (before every image was predicted). */
  get stopped(): boolean {
    return this.stoppedByUser
  }

  /** Why this job failed, in words; null while it runs or once it succeeded. */
  get failure(): string | null {
    return this.failed
  }

  private publishRun(): void {
    this.events.publish('run.updated', { run: runSummary(this.db, runRow(this.db, this.runId)) })
  }

  private elapsed(): number {
    return this.baseSeconds + (Date.now() - this.startedAt) / 1000
  }

  /** Publishes a message of the run to the UIs and keeps it with the run. */
  log(level: RunMessage['level'], message: string): void {
    this.events.publish('run.log', { runId: this.runId, level, message })
    if (this.messagesFile) appendRunMessage(this.messagesFile, { at: new Date().toISOString(), level, message })
  }

  /** Sets status (and reason) and tells the UIs. */
  setStatus(status: string, reason: string | null = null, ended = false): void {
    prepared(
      this.db,
      `UPDATE runs SET status = ?, status_reason = ?, seconds = ?, ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE id = ?`,
    ).run(status, reason, this.elapsed(), ended ? 1 : 0, Date.now(), this.runId)
    if (ended) this.ended = true
    this.publishRun()
  }

  /**
   * The trainer ended without saying how (crash, kill, out of memory): a training run fails with
   * the reason; a prediction job only says so, leaving the run as it was.
   */
  endWithoutReport(reason: string): void {
    if (this.job === 'predict') return this.endPrediction(reason)
    this.log('error', reason)
    this.setStatus('failed', reason, true)
  }

  private endPrediction(failure: string | null): void {
    this.ended = true
    this.failed = failure
    const status = runRow(this.db, this.runId).status
    if (failure)
      this.log('error', `The prediction failed: ${failure} The run stays ${status}; its earlier predictions are kept.`)
    else
      this.log(
        'info',
        `Predictions stored for ${this.predicted} images; the run has predictions for ${predictedImageCount(this.db, this.runId)} images.`,
      )
    this.publishRun()
  }

  private endStoppedPrediction(): void {
    this.ended = true
    this.stoppedByUser = true
    this.log(
      'info',
      `The prediction was stopped after ${this.predicted} images; their predictions are stored. The run stays ${runRow(this.db, this.runId).status}.`,
    )
    this.publishRun()
  }

  private metric(split: string, name: string, step: number, value: number | null): void {
    prepared(
      this.db,
      'INSERT OR REPLACE INTO run_metrics (run_id, split, name, step, value) VALUES (?, ?, ?, ?, ?)',
    ).run(this.runId, split, name, step, value === null || Number.isFinite(value) ? value : null)
  }

  record(message: TrainerMessage): void {
    const db = this.db
    switch (message.type) {
      case 'started':
        if (this.job === 'predict') return this.log('info', describeStart(message, true))
        prepared(
          db,
          "UPDATE runs SET status = 'running', status_reason = NULL, backend = ?, backends = ?, total_steps = ?, step = ?, train_images = ?, val_images = ?, ended_at = NULL WHERE id = ?",
        ).run(
          message.backend,
          JSON.stringify(message.backends),
          message.totalSteps,
          message.step,
          message.trainImages,
          message.valImages,
          this.runId,
        )
        this.predicting = message.step > 0 && message.step >= message.totalSteps
        this.log('info', describeStart(message, this.predicting))
        this.publishRun()
        return
      case 'progress': {
        db.transaction(() => {
          prepared(
            db,
            'UPDATE runs SET step = ?, total_steps = ?, images_per_second = ?, seconds = ? WHERE id = ?',
          ).run(message.step, message.totalSteps, message.imagesPerSecond, this.elapsed(), this.runId)
          this.metric('train', 'loss', message.step, message.loss)
          this.metric('train', 'learningRate', message.step, message.learningRate)
          for (const [head, loss] of Object.entries(message.lossByHead))
            this.metric('train', `loss/${head}`, message.step, loss)
        })()
        const { type: _type, ...progress } = message
        this.events.publish('run.progress', { runId: this.runId, ...progress })
        return
      }
      case 'metrics': {
        db.transaction(() => {
          for (const [name, value] of Object.entries(message.values))
            this.metric(message.split, name, message.step, value)
        })()
        const { type: _type, ...metrics } = message
        this.events.publish('run.metrics', { runId: this.runId, ...metrics })
        return
      }
      case 'checkpoint': {
        const path = storedPath(db, message.path)
        db.transaction(() => {
          prepared(
            db,
            'INSERT OR REPLACE INTO run_checkpoints (run_id, step, path, best, score, at) VALUES (?, ?, ?, ?, ?, ?)',
          ).run(this.runId, message.step, path, message.best ? 1 : 0, message.score, Date.now())
          prepared(db, 'UPDATE runs SET last_checkpoint = ? WHERE id = ?').run(path, this.runId)
          if (message.best)
            prepared(db, 'UPDATE runs SET best_checkpoint = ?, best_score = ? WHERE id = ?').run(
              path,
              message.score,
              this.runId,
            )
        })()
        return
      }
      case 'predictions':
        this.recordPredictions(message)
        return
      case 'log':
        this.log(message.level, message.message)
        return
      case 'finished':
        if (this.job === 'predict') return this.endPrediction(null)
        prepared(db, 'UPDATE runs SET step = ?, last_checkpoint = ? WHERE id = ?').run(
          message.step,
          storedPath(db, message.checkpoint),
          this.runId,
        )
        this.log(
          'info',
          this.predicting
            ? 'Predictions stored.'
            : `Finished at step ${message.step}${message.bestScore === null ? '' : `; best validation score ${message.bestScore.toFixed(3)}`}.`,
        )
        this.setStatus('finished', null, true)
        return
      case 'stopped':
        if (this.job === 'predict') return this.endStoppedPrediction()
        prepared(db, 'UPDATE runs SET step = ?, last_checkpoint = ? WHERE id = ?').run(
          message.step,
          storedPath(db, message.checkpoint),
          this.runId,
        )
        this.log('info', `Stopped at step ${message.step}; a checkpoint was written, resume continues from it.`)
        this.setStatus('stopped', 'Stopped by the user; resume continues from the last checkpoint.', true)
        return
      case 'failed':
        if (this.job === 'predict') return this.endPrediction(message.reason.replace(/([^.])$/, '$1.'))
        this.log('error', message.detail ? `${message.reason}\n${message.detail}` : message.reason)
        this.setStatus('failed', message.reason, true)
        return
    }
  }

  private recordPredictions(batch: PredictionBatch): void {
    this.predicted += batch.imageIds.length
    storePredictionBatch(this.db, this.runId, batch)
    this.events.publish('run.predicting', { runId: this.runId, done: batch.done, total: batch.total })
    if (batch.done < batch.total) return
    // A run trained further predicts its own training set again; images of other datasets keep
    // what an earlier checkpoint predicted until they are predicted again: say so.
    const others = predictedImageCount(this.db, this.runId) - batch.total
    if (this.job === 'train' && others > 0)
      this.log(
        'warn',
        `${others} images outside this run's training set keep their predictions from an earlier checkpoint: predict their datasets again to score them with this one.`,
      )
    this.publishRun()
  }
}

/** "Training on the wasm backend, 300 steps, ...; gpu not available: <reason>": which backend and why faster ones were not used. */
function describeStart(message: Extract<TrainerMessage, { type: 'started' }>, predicting: boolean): string {
  const what = predicting
    ? `Predicting on the ${message.backend} backend with the checkpoint of step ${message.step}.`
    : `Training on the ${message.backend} backend, ${message.step > 0 ? `resuming at step ${message.step} of ${message.totalSteps}` : `${message.totalSteps} steps`}, ${message.trainImages} training and ${message.valImages} validation images.`
  // Backends that were tried and did not load say why; those not tried add nothing.
  const failed = message.backends
    .filter((b: BackendStatus) => !b.available && !b.reason.startsWith('not tried'))
    .map((b) => `${b.backend} not available: ${b.reason.replace(/\.$/, '')}`)
  return failed.length ? `${what} ${failed.join('; ')}.` : what
}
