import type { ExperimentProtocol } from '../../shared/contract/experiments'
import { WorkbenchError } from '../../shared/errors'
import { RunConfigSchema, type RunConfig } from '../../shared/run-config'
import type { WorkbenchContext } from '../app/context'
import { listDatasets } from '../catalogue/datasets'
import { predictRun } from '../runs/predict-job'
import { runRow } from '../runs/run-rows'
import { resumeRun, startRun, stopRun, waitForTrainer } from '../runs/runs-service'
import { planJobs, type PlannedJob } from './plan'
import { DEMO_AU, DEMO_COMPOUND, DEMO_EMOTION, ROLES, stepsFor } from './roles'
import { validationScore } from './scores'
import { experimentRuns, saveExperimentRun, type ExperimentRunRow } from './store'

// Trains an experiment's runs one after the other (two cores: one run at a time is the fastest)
// until none is left, a run fails or the experiment is asked to stop. Each run is recorded as soon
// as it starts, so after a stop or a crash the plan continues from what is stored: finished runs
// are kept, a stopped or interrupted run goes on from its last checkpoint.

/** Stored in place of a validation score the run has none for (scores are shares, in [0, 1]). */
export const NO_VALIDATION_SCORE = -1

export interface JobReport {
  job: PlannedJob
  runId: number
  seconds: number
  index: number
  total: number
}

/**
 * A run's settings for a job: the method's datasets, the budget's steps, the rate dropping tenfold
 * for the last quarter, and for Table 4 the protocol's few compound faces per class.
 */
export function jobConfig(protocol: ExperimentProtocol, job: PlannedJob): RunConfig {
  const role = ROLES[job.role]
  const steps = stepsFor(job.role, job.budget, protocol.budgetKind)
  const every = Math.min(steps, Math.max(50, Math.floor(steps / 4)))
  return RunConfigSchema.parse({
    method: role.method,
    landmarks: role.landmarks ?? false,
    ...(role.landmarks && protocol.landmarkWeight !== undefined ? { landmarkWeight: protocol.landmarkWeight } : {}),
    ...(role.fewShotCompound && protocol.compoundPerClass !== null
      ? { perClassLimit: { [DEMO_COMPOUND]: protocol.compoundPerClass } }
      : {}),
    network: protocol.network,
    inputSize: protocol.inputSize,
    backend: protocol.backend,
    datasets: role.datasets,
    batchSize: protocol.batchSize,
    steps,
    learningRate: job.learningRate,
    lrDecaySteps: Math.max(1, Math.round(steps * 0.75)),
    validateEvery: every,
    checkpointEvery: every,
    seed: job.seed,
  })
}

export const storedRuns = (ctx: WorkbenchContext, id: number): Map<string, ExperimentRunRow> =>
  new Map(experimentRuns(ctx.requireWorkspace().db, id).map((r) => [r.job_key, r]))

export function checkDemoDatasets(ctx: WorkbenchContext, protocol: ExperimentProtocol): void {
  const names = new Set(listDatasets(ctx.requireWorkspace().db).map((d) => d.name))
  const needed = [...new Set(planJobs(protocol, new Map()).jobs.flatMap((j) => ROLES[j.role].datasets))]
  const missing = needed.filter((n) => !names.has(n))
  if (missing.length)
    throw new WorkbenchError(
      'invalid_arguments',
      `This experiment trains on the demo datasets, and the workspace has no ${missing.join(', ')}: create the demo workspace (affect demo) first.`,
      { field: 'protocol', missing },
    )
}

export class ExperimentRunner {
  private stopping = false
  private currentRun: number | null = null

  constructor(
    private readonly ctx: WorkbenchContext,
    readonly id: number,
    private readonly protocol: ExperimentProtocol,
    private readonly onJob: (report: JobReport) => void,
  ) {}

  get stopRequested(): boolean {
    return this.stopping
  }

  /** Asks the current run to checkpoint and stop; the loop ends after it. */
  stop(): void {
    this.stopping = true
    if (this.currentRun !== null && this.ctx.trainers.has(this.currentRun)) stopRun(this.ctx, this.currentRun)
  }

  /** Runs every job not yet scored; resolves 'finished' or 'stopped', throws what made a run fail. */
  async run(): Promise<'finished' | 'stopped'> {
    for (;;) {
      if (this.stopping) return 'stopped'
      const stored = storedRuns(this.ctx, this.id)
      const { jobs, total } = planJobs(this.protocol, stored)
      const index = jobs.findIndex((j) => stored.get(j.key)?.val_score == null)
      if (index < 0) return 'finished'
      const started = Date.now()
      const runId = await this.train(jobs[index], stored.get(jobs[index].key)?.run_id ?? null)
      if (runId === null) return 'stopped'
      this.onJob({ job: jobs[index], runId, seconds: (Date.now() - started) / 1000, index: index + 1, total })
    }
  }

  /** Trains (or goes on with) one job's run and scores it on validation; null when stopped on the way. */
  private async train(job: PlannedJob, existing: number | null): Promise<number | null> {
    const db = this.ctx.requireWorkspace().db
    const record = (runId: number, valScore: number | null) =>
      saveExperimentRun(db, this.id, {
        job_key: job.key,
        role: job.role,
        budget: job.budget,
        seed: job.seed,
        learning_rate: job.learningRate,
        search: job.search ? 1 : 0,
        run_id: runId,
        val_score: valScore,
      })
    let runId = existing
    const status = runId === null ? null : runRow(db, runId).status
    if (runId === null || status === null) {
      const name = `experiment ${this.id}: ${job.role}, budget ${job.budget}, seed ${job.seed}, learning rate ${job.learningRate}`
      runId = (await startRun(this.ctx, jobConfig(this.protocol, job), name)).id
      record(runId, null)
    } else if (status !== 'finished') await resumeRun(this.ctx, runId)
    this.currentRun = runId
    const done = await waitForTrainer(this.ctx, runId)
    this.currentRun = null
    if (done.status === 'stopped' && this.stopping) return null
    if (done.status !== 'finished')
      throw new WorkbenchError(
        'internal',
        `Run ${runId} (${job.role}, seed ${job.seed}) ${done.status}: ${done.statusReason ?? 'no reason given'}`,
        { runId },
      )
    if (job.role === 'au') await this.predictEmotionFaces(runId)
    record(runId, validationScore(db, job.role, runId) ?? NO_VALIDATION_SCORE)
    return runId
  }

  /** The AU network never saw the emotion faces: predict them too, to score its AUs there (and Fig. 2). */
  private async predictEmotionFaces(runId: number): Promise<void> {
    const datasets = listDatasets(this.ctx.requireWorkspace().db)
    const ids = datasets.filter((d) => d.name === DEMO_EMOTION || d.name === DEMO_AU).map((d) => d.id)
    await predictRun(this.ctx, runId, ids)
    await waitForTrainer(this.ctx, runId)
  }
}
