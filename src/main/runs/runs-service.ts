import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { RunSummary } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { RunConfigSchema, totalSteps, type BackendChoice, type RunConfig } from '../../shared/run-config'
import type { SnapshotFolders, TrainerCommand } from '../../shared/trainer-protocol'
import type { WorkbenchContext } from '../app/context'
import { plucked, prepared } from '../db/statements'
import { writeSnapshot } from '../trainer/data/snapshot'
import type { Workspace } from '../workspace/workspace'
import { buildSnapshot } from './build-snapshot'
import { appendRunMessage, runMessagesFile } from './run-messages'
import { RunRecorder } from './run-recorder'
import { trainedByAnotherProcess, writeRunOwner } from './run-owner'
import { runRow, runSummary, type RunRow } from './run-rows'
import { describeCrash } from './trainer-host'

/** Statuses of a run whose trainer is (or should be) at work. */
export const ACTIVE_STATUSES: readonly string[] = ['starting', 'running', 'stopping']

/** Starts a trainer process on a command and records what it reports; `onExit` runs once it has exited, whatever happened. */
export function launch(
  ctx: WorkbenchContext,
  runId: number,
  command: Extract<TrainerCommand, { type: 'train' | 'predict' }>,
  onExit: () => void = () => {},
): void {
  const ws = ctx.requireWorkspace()
  const recorder = new RunRecorder(ws.db, ctx.events, runId, runMessagesFile(ws.runsDir, runId), command.type)
  const child = ctx.launchTrainer()
  writeRunOwner(join(ws.runsDir, String(runId)))
  const done = new Promise<void>((resolve) => {
    child.onMessage((message) => {
      try {
        recorder.record(message)
      } catch (e) {
        recorder.log('error', `Could not record ${message.type}: ${(e as Error).message}`)
      }
    })
    child.onExit((exit) => {
      // A trainer that dies without saying why (crash, kill, out of memory) still leaves a reason:
      // a training run fails with it, a prediction job says it in the run's messages.
      try {
        if (!recorder.isEnded && ws.db.open) recorder.endWithoutReport(describeCrash(exit))
      } finally {
        ctx.trainers.delete(runId)
        onExit()
        resolve()
      }
    })
  })
  ctx.trainers.set(runId, { process: child, recorder, done })
  child.send(command)
}

function resolveInitFrom(
  ctx: WorkbenchContext,
  initFrom: string | undefined,
): { checkpoint: string; runId: number } | undefined {
  if (!initFrom) return undefined
  const id = Number(initFrom)
  const row = Number.isInteger(id)
    ? prepared<Pick<RunRow, 'id' | 'best_checkpoint' | 'last_checkpoint'>>(
        ctx.requireWorkspace().db,
        'SELECT id, best_checkpoint, last_checkpoint FROM runs WHERE id = ?',
      ).get(id)
    : undefined
  if (!row)
    throw new WorkbenchError('invalid_arguments', `initFrom: no run ${initFrom} in this workspace to start from.`, {
      field: 'initFrom',
    })
  const checkpoint = row.best_checkpoint ?? row.last_checkpoint
  if (!checkpoint)
    throw new WorkbenchError('invalid_arguments', `initFrom: run ${initFrom} has no checkpoint yet.`, {
      field: 'initFrom',
    })
  return { checkpoint: ctx.requireWorkspace().file(checkpoint), runId: row.id }
}

/** Freezes the training set, records the run and starts a trainer process on it. */
export async function startRun(
  ctx: WorkbenchContext,
  configInput: RunConfig | undefined,
  name?: string,
): Promise<RunSummary> {
  const ws = ctx.requireWorkspace()
  const config = configInput ?? RunConfigSchema.parse({})
  const init = resolveInitFrom(ctx, config.initFrom)
  const snapshot = buildSnapshot(ws.db, config)
  const trainImages = snapshot.images.filter((i) => i.split === 'train').length
  if (!trainImages)
    throw new WorkbenchError('invalid_arguments', 'The chosen datasets have no images in the train split.', {
      field: 'datasets',
    })
  const datasets = snapshot.datasets.map((d) => d.name)
  const runId = Number(
    prepared(
      ws.db,
      `INSERT INTO runs (name, method, network, config, datasets, status, snapshot_hash, snapshot_path, total_steps, train_images, val_images, init_from, created_at)
      VALUES (?, ?, ?, ?, ?, 'starting', ?, '', ?, ?, ?, ?, ?)`,
    ).run(
      name ?? `${config.method} ${config.network}`,
      config.method,
      config.network,
      JSON.stringify(config),
      JSON.stringify(datasets),
      snapshot.hash,
      totalSteps(config, trainImages),
      trainImages,
      snapshot.images.filter((i) => i.split === 'val').length,
      init?.runId ?? null,
      Date.now(),
    ).lastInsertRowid,
  )
  const runDir = join(ws.runsDir, String(runId))
  mkdirSync(runDir, { recursive: true })
  const snapshotBase = join(runDir, 'snapshot')
  await writeSnapshot(snapshotBase, snapshot)
  prepared(ws.db, 'UPDATE runs SET snapshot_path = ? WHERE id = ?').run(ws.stored(snapshotBase), runId)
  launch(ctx, runId, {
    type: 'train',
    runId,
    runDir,
    snapshot: snapshotBase,
    workspace: ws.path,
    config,
    initFrom: init?.checkpoint,
    cacheDir: join(ws.runsDir, 'cache'),
    predictAfter: true,
  })
  return runSummary(ws.db, runRow(ws.db, runId))
}

/** Asks a running run to finish its step, checkpoint and stop. */
export function stopRun(ctx: WorkbenchContext, runId: number): RunSummary {
  const db = ctx.requireWorkspace().db
  const active = ctx.trainers.get(runId)
  if (!active) throw new WorkbenchError('conflict', `Run ${runId} is not running in this workbench.`, { id: runId })
  active.recorder.setStatus('stopping')
  active.process.send({ type: 'stop' })
  return runSummary(db, runRow(db, runId))
}

/** The run's own snapshot and where the trainer finds its images, wherever the workspace is now. */
export function snapshotOf(ws: Workspace, row: RunRow): { snapshot: string } & SnapshotFolders {
  return {
    snapshot: ws.file(row.snapshot_path),
    workspace: ws.path,
    snapshotWorkspace: row.snapshot_workspace ?? undefined,
  }
}

/**
 * Continues a stopped or failed run from its last checkpoint, on the same frozen training set; on
 * `backend` when given (a run whose GPU was lost can go on on the CPU), which its config then records.
 */
export async function resumeRun(ctx: WorkbenchContext, runId: number, backend?: BackendChoice): Promise<RunSummary> {
  const ws = ctx.requireWorkspace()
  await untilTrainerExits(ctx, runId)
  const row = runRow(ws.db, runId)
  if (ctx.trainers.has(runId)) throw new WorkbenchError('conflict', `Run ${runId} is already running.`, { id: runId })
  if (row.status === 'finished')
    throw new WorkbenchError(
      'conflict',
      `Run ${runId} has finished; start a new run with initFrom ${runId} to train further.`,
      { id: runId },
    )
  const config = RunConfigSchema.parse({ ...JSON.parse(row.config), ...(backend ? { backend } : {}) })
  prepared(ws.db, "UPDATE runs SET status = 'starting', status_reason = NULL, config = ? WHERE id = ?").run(
    JSON.stringify(config),
    runId,
  )
  launch(ctx, runId, {
    type: 'train',
    runId,
    runDir: join(ws.runsDir, String(runId)),
    config,
    ...snapshotOf(ws, row),
    resumeFrom: row.last_checkpoint === null ? undefined : ws.file(row.last_checkpoint),
    cacheDir: join(ws.runsDir, 'cache'),
    predictAfter: true,
  })
  return runSummary(ws.db, runRow(ws.db, runId))
}

/** How long a resume or prediction waits for a trainer that has ended its run to exit. */
const EXIT_WAIT_MS = 10_000

/**
 * A trainer that has reported how it ended (stopped, finished, failed) still takes a moment to
 * exit; the run already reads as ended, so a resume or a prediction asked for then waits for it
 * (a while at most: a trainer that never exits leaves the caller's request refused as busy).
 */
export async function untilTrainerExits(ctx: WorkbenchContext, runId: number): Promise<void> {
  const active = ctx.trainers.get(runId)
  if (!active?.recorder.isEnded) return
  let timer: NodeJS.Timeout | undefined
  await Promise.race([active.done, new Promise((resolve) => (timer = setTimeout(resolve, EXIT_WAIT_MS)))])
  clearTimeout(timer)
}

/** Resolves when the run's trainer process has exited (for the CLI, which waits). */
export async function waitForTrainer(ctx: WorkbenchContext, runId: number): Promise<RunSummary> {
  await ctx.trainers.get(runId)?.done
  const db = ctx.requireWorkspace().db
  return runSummary(db, runRow(db, runId))
}

/** Runs left 'running' by a workbench that closed or crashed cannot be running now: say so. */
export function markInterruptedRuns(ctx: WorkbenchContext): void {
  const db = ctx.requireWorkspace().db
  const ids = plucked<RunRow['id']>(
    db,
    `SELECT id FROM runs WHERE status IN (${ACTIVE_STATUSES.map(() => '?').join(',')})`,
  ).all(...ACTIVE_STATUSES)
  for (const id of ids) {
    // A trainer of this workbench, or of another one still running (an `affect train` beside it), is at work.
    if (ctx.trainers.has(id) || trainedByAnotherProcess(join(ctx.requireWorkspace().runsDir, String(id)))) continue
    const reason = 'The workbench closed while this run was training. Resume it to continue from its last checkpoint.'
    prepared(db, "UPDATE runs SET status = 'failed', status_reason = ?, ended_at = ? WHERE id = ?").run(
      reason,
      Date.now(),
      id,
    )
    appendRunMessage(runMessagesFile(ctx.requireWorkspace().runsDir, id), {
      at: new Date().toISOString(),
      level: 'error',
      message: reason,
    })
  }
}

export function listRuns(ctx: WorkbenchContext): RunSummary[] {
  const db = ctx.requireWorkspace().db
  return prepared<RunRow>(db, 'SELECT * FROM runs ORDER BY id DESC')
    .all()
    .map((r) => runSummary(db, r))
}
