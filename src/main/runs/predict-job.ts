import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { isProcessAlive } from '../workspace/server-lock'
import type { RunSummary } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { RunConfigSchema } from '../../shared/run-config'
import { listDatasets } from '../catalogue/datasets'
import type { WorkbenchContext } from '../app/context'
import { snapshotFiles, writeSnapshot } from '../trainer/data/snapshot'
import { buildSnapshot } from './build-snapshot'
import { runRow, runSummary } from './run-rows'
import { ACTIVE_STATUSES, launch, snapshotOf, untilTrainerExits } from './runs-service'

// A prediction job: the run's best checkpoint over its own training set, or over other datasets
// through a temporary snapshot (predict-<time>-<pid>.json/.bin in the run's folder). The job adds
// to the run's predictions image by image (prediction-store.ts) and never changes the run's status;
// the temporary snapshot is removed however the job ends.

const TEMPORARY = /^predict-\d+(?:-(\d+))?\.(?:json|bin)$/

const isRunning = (pid: number): boolean => isProcessAlive({ pid, host: hostname() })

/**
 * Removes temporary snapshots a killed workbench left behind: those of processes that are gone
 * (and version 0.1.0's, which had no process id). This process has no job on the run (checked).
 */
function removeLeftovers(runDir: string): void {
  let names: string[]
  try {
    names = readdirSync(runDir)
  } catch {
    return
  }
  for (const name of names) {
    const m = TEMPORARY.exec(name)
    if (m && (!m[1] || Number(m[1]) === process.pid || !isRunning(Number(m[1]))))
      rmSync(join(runDir, name), { force: true })
  }
}

function removeSnapshot(base: string): void {
  const files = snapshotFiles(base)
  rmSync(files.json, { force: true })
  rmSync(files.bin, { force: true })
}

/** The datasets to predict, checked: every id names a dataset of this workspace that has images. */
function checkDatasets(ctx: WorkbenchContext, datasetIds: number[]): void {
  const all = listDatasets(ctx.requireWorkspace().db)
  const unknown = datasetIds.filter((id) => !all.some((d) => d.id === id))
  if (unknown.length)
    throw new WorkbenchError(
      'invalid_arguments',
      `datasetIds: no dataset with id ${unknown.join(', ')} in this workspace (datasets: ${all.map((d) => `${d.id} ${d.name}`).join(', ') || 'none'}).`,
      { field: 'datasetIds', unknown },
    )
  const empty = all.filter((d) => datasetIds.includes(d.id) && d.images === 0)
  if (empty.length === datasetIds.length)
    throw new WorkbenchError(
      'invalid_arguments',
      `datasetIds: ${empty.map((d) => d.name).join(', ')} ha${empty.length === 1 ? 's' : 've'} no images to predict.`,
      { field: 'datasetIds' },
    )
}

/** Predicts with the run's best checkpoint over its own training set or over the given datasets. */
export async function predictRun(ctx: WorkbenchContext, runId: number, datasetIds?: number[]): Promise<RunSummary> {
  const ws = ctx.requireWorkspace()
  await untilTrainerExits(ctx, runId)
  const row = runRow(ws.db, runId)
  if (ctx.trainers.has(runId) || ACTIVE_STATUSES.includes(row.status))
    throw new WorkbenchError(
      'conflict',
      `Run ${runId} is busy (${row.status}); predict when it has stopped or finished.`,
      { id: runId },
    )
  const checkpoint = row.best_checkpoint ?? row.last_checkpoint
  if (!checkpoint)
    throw new WorkbenchError('conflict', `Run ${runId} has no checkpoint to predict with yet.`, { id: runId })
  const config = RunConfigSchema.parse(JSON.parse(row.config))
  const runDir = join(ws.runsDir, String(runId))
  removeLeftovers(runDir)
  let source = snapshotOf(ws, row)
  let temporary: string | null = null
  if (datasetIds?.length) {
    checkDatasets(ctx, datasetIds)
    temporary = join(runDir, `predict-${Date.now()}-${process.pid}`)
    try {
      mkdirSync(runDir, { recursive: true })
      // Laid out over the run's classes too: a dataset of unlabelled photos has no label space of its own.
      const trainedOn = new Set(JSON.parse(row.datasets) as string[])
      const classCodes = listDatasets(ws.db).flatMap((d) => (trainedOn.has(d.name) ? d.classCodes : []))
      // Predictions are the classes' probabilities only: the photos need no landmarks.
      const classesOnly = { datasets: config.datasets }
      await writeSnapshot(temporary, buildSnapshot(ws.db, classesOnly, { datasetIds, classCodes }))
    } catch (e) {
      removeSnapshot(temporary)
      throw e
    }
    source = { snapshot: temporary, workspace: ws.path }
  }
  const cleanUp = () => temporary && removeSnapshot(temporary)
  try {
    launch(
      ctx,
      runId,
      {
        type: 'predict',
        runId,
        runDir,
        ...source,
        checkpoint: ws.file(checkpoint),
        cacheDir: join(ws.runsDir, 'cache'),
        backend: config.backend,
      },
      cleanUp,
    )
  } catch (e) {
    cleanUp()
    throw e
  }
  return runSummary(ws.db, runRow(ws.db, runId))
}
