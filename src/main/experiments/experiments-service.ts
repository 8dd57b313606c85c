import type { Database } from 'better-sqlite3'
import type {
  ExperimentDetail,
  ExperimentJob,
  ExperimentProtocol,
  ExperimentSummary,
  LearningRateChoice,
} from '../../shared/contract/experiments'
import { WorkbenchError } from '../../shared/errors'
import type { WorkbenchContext } from '../app/context'
import { prepared } from '../db/statements'
import { runRow } from '../runs/run-rows'
import { learningRateChoice, planJobs, seedJob } from './plan'
import { resultMethods, rolesOf, ROLES_OF, type Role } from './roles'
import { checkDemoDatasets, ExperimentRunner, storedRuns, type JobReport } from './runner'
import { methodScores } from './scores'
import {
  experimentIds,
  experimentResults,
  experimentRow,
  insertExperiment,
  protocolOf,
  saveExperimentResult,
  setExperimentStatus,
  type ExperimentRow,
  type ExperimentRunRow,
} from './store'
import { summarise } from './summary'

// Experiments as the contract sees them: start, list, get, stop, resume. The runner trains; this
// file scores each method on a seed once all its runs are done, says how far an experiment is and
// how long it has left, and tells a running experiment from one a crash interrupted.

const INTERRUPTED = 'The workbench closed while this experiment ran: resume it to continue where it stopped.'

const alive = (pid: number | null): boolean => {
  if (pid === null) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Running here, or in another live process (the CLI beside the app). */
function isRunning(ctx: WorkbenchContext, row: ExperimentRow): boolean {
  if (ctx.experiments.has(row.id)) return true
  return row.pid !== process.pid && (row.status === 'running' || row.status === 'stopping') && alive(row.pid)
}

const seconds = (db: Database, runId: number | null): number | null =>
  runId === null
    ? null
    : (prepared<{ seconds: number }>(db, 'SELECT seconds FROM runs WHERE id = ?').get(runId)?.seconds ?? null)

function summaryOf(ctx: WorkbenchContext, row: ExperimentRow): ExperimentSummary {
  const db = ctx.requireWorkspace().db
  const protocol = protocolOf(row)
  const stored = storedRuns(ctx, row.id)
  const { total } = planJobs(protocol, stored)
  const doneRows = [...stored.values()].filter((r) => r.val_score !== null)
  const times = doneRows.map((r) => seconds(db, r.run_id)).filter((s): s is number => s !== null)
  const perRun = times.length ? times.reduce((a, b) => a + b, 0) / times.length : null
  const interrupted = (row.status === 'running' || row.status === 'stopping') && !isRunning(ctx, row)
  return {
    id: row.id,
    name: row.name,
    status: interrupted ? 'stopped' : row.status,
    statusReason: interrupted ? INTERRUPTED : row.status_reason,
    protocol,
    done: doneRows.length,
    total,
    secondsLeft: perRun === null || row.status === 'finished' ? null : Math.round(perRun * (total - doneRows.length)),
    createdAt: new Date(row.created_at).toISOString(),
    endedAt: row.ended_at === null ? null : new Date(row.ended_at).toISOString(),
  }
}

/** Scores every method whose runs on a seed and budget are all done and that has no scores yet. */
function scoreCompleted(ctx: WorkbenchContext, id: number, protocol: ExperimentProtocol): void {
  const db = ctx.requireWorkspace().db
  const stored = storedRuns(ctx, id)
  const scored = new Set(experimentResults(db, id).map((r) => `${r.method}/${r.budget}/${r.seed}`))
  for (const budget of protocol.budgets)
    for (let seed = protocol.firstSeed; seed < protocol.firstSeed + protocol.seeds; seed++)
      for (const method of resultMethods(protocol)) {
        if (scored.has(`${method}/${budget}/${seed}`)) continue
        const runs: Partial<Record<Role, number>> = {}
        for (const role of ROLES_OF[method]) {
          const job = seedJob(protocol, role, budget, seed, stored)
          if (job?.val_score == null || job.run_id === null) break
          runs[role] = job.run_id
        }
        if (Object.keys(runs).length === ROLES_OF[method].length)
          saveExperimentResult(db, id, { method, budget, seed }, methodScores(db, method, runs))
      }
}

function launch(ctx: WorkbenchContext, id: number, protocol: ExperimentProtocol): void {
  const publish = () => ctx.events.publish('experiment.updated', { experiment: getSummary(ctx, id) })
  const onJob = (r: JobReport) => {
    scoreCompleted(ctx, id, protocol)
    ctx.events.publish('experiment.run', {
      experimentId: id,
      runId: r.runId,
      role: r.job.role,
      budget: r.job.budget,
      seed: r.job.seed,
      learningRate: r.job.learningRate,
      search: r.job.search,
      seconds: r.seconds,
      index: r.index,
      total: r.total,
    })
    publish()
  }
  const runner = new ExperimentRunner(ctx, id, protocol, onJob)
  const done = runner
    .run()
    .then((status) => {
      if (status === 'finished') scoreCompleted(ctx, id, protocol)
      setExperimentStatus(ctx.requireWorkspace().db, id, status)
    })
    .catch((e: unknown) => {
      const reason = e instanceof Error ? e.message : String(e)
      if (ctx.workspace) setExperimentStatus(ctx.workspace.db, id, runner.stopRequested ? 'stopped' : 'failed', reason)
    })
    .finally(() => {
      ctx.experiments.delete(id)
      if (ctx.workspace) publish()
    })
  ctx.experiments.set(id, { stop: () => runner.stop(), done })
  publish()
}

export function getSummary(ctx: WorkbenchContext, id: number): ExperimentSummary {
  return summaryOf(ctx, experimentRow(ctx.requireWorkspace().db, id))
}

export function startExperiment(ctx: WorkbenchContext, protocol: ExperimentProtocol): ExperimentSummary {
  checkDemoDatasets(ctx, protocol)
  const db = ctx.requireWorkspace().db
  const name =
    protocol.name ??
    `${resultMethods(protocol).join(', ')}: ${protocol.seeds} seed${protocol.seeds === 1 ? '' : 's'}, ${protocol.budgets.join(' / ')} ${protocol.budgetKind === 'images' ? 'steps of images' : 'steps'}`
  const id = insertExperiment(db, name, protocol)
  launch(ctx, id, protocolOf(experimentRow(db, id)))
  return getSummary(ctx, id)
}

export const listExperiments = (ctx: WorkbenchContext): ExperimentSummary[] =>
  experimentIds(ctx.requireWorkspace().db).map((id) => getSummary(ctx, id))

export function stopExperiment(ctx: WorkbenchContext, id: number): ExperimentSummary {
  const db = ctx.requireWorkspace().db
  const row = experimentRow(db, id)
  const running = ctx.experiments.get(id)
  if (running) {
    setExperimentStatus(db, id, 'stopping')
    running.stop()
  } else if (isRunning(ctx, row))
    throw new WorkbenchError('conflict', `Experiment ${id} runs in another process (pid ${row.pid}): stop it there.`, {
      id,
    })
  else if (row.status === 'running' || row.status === 'stopping') setExperimentStatus(db, id, 'stopped', INTERRUPTED)
  return getSummary(ctx, id)
}

export function resumeExperiment(ctx: WorkbenchContext, id: number): ExperimentSummary {
  const db = ctx.requireWorkspace().db
  const row = experimentRow(db, id)
  if (isRunning(ctx, row)) throw new WorkbenchError('conflict', `Experiment ${id} is already running.`, { id })
  if (row.status === 'finished')
    throw new WorkbenchError('conflict', `Experiment ${id} has finished: nothing to resume.`, { id })
  const protocol = protocolOf(row)
  checkDemoDatasets(ctx, protocol)
  setExperimentStatus(db, id, 'running')
  launch(ctx, id, protocol)
  return getSummary(ctx, id)
}

/** Resolves when an experiment running in this workbench ends (for the CLI, which waits). */
export async function experimentEnded(ctx: WorkbenchContext, id: number): Promise<ExperimentSummary> {
  await ctx.experiments.get(id)?.done
  return getSummary(ctx, id)
}

function jobsOf(
  ctx: WorkbenchContext,
  protocol: ExperimentProtocol,
  stored: Map<string, ExperimentRunRow>,
): ExperimentJob[] {
  const db = ctx.requireWorkspace().db
  return planJobs(protocol, stored).jobs.map((j) => {
    const row = stored.get(j.key)
    const run = row?.run_id != null ? runRow(db, row.run_id) : null
    const status: ExperimentJob['status'] =
      row?.val_score != null
        ? 'finished'
        : !run
          ? 'waiting'
          : run.status === 'stopped'
            ? 'stopped'
            : run.status === 'failed'
              ? 'failed'
              : 'running'
    return {
      ...j,
      runId: row?.run_id ?? null,
      status,
      valScore: row?.val_score ?? null,
      seconds: seconds(db, row?.run_id ?? null),
    }
  })
}

export function experimentDetail(ctx: WorkbenchContext, id: number): ExperimentDetail {
  const db = ctx.requireWorkspace().db
  const summary = getSummary(ctx, id)
  const protocol = summary.protocol
  const stored = storedRuns(ctx, id)
  const learningRates: LearningRateChoice[] = protocol.budgets.flatMap((budget) =>
    rolesOf(protocol).map((role) => learningRateChoice(protocol, role, budget, stored)),
  )
  const { rows, differences } = summarise(protocol, experimentResults(db, id), learningRates)
  return { ...summary, jobs: jobsOf(ctx, protocol, stored), learningRates, rows, differences }
}
