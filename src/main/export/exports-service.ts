import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { z } from 'zod'
import type { ExportCancelled, ExportKind, ExportResult, exportRequestSchema } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { WorkbenchContext } from '../app/context'
import { prepared } from '../db/statements'
import { runRow } from '../runs/run-rows'
import type { Workspace } from '../workspace/workspace'
import { experimentDetail } from '../experiments/experiments-service'
import { experimentRow } from '../experiments/store'
import { datasetIdsByName } from './dataset-filter'
import { exportExperiment } from './experiment-csv'
import { exportLabelEdits } from './label-edits-csv'
import { exportLabels } from './labels-csv'
import { exportPredictions } from './predictions-csv'
import { saveDialogOf } from './save-dialog'
import { writeFailure } from './write-failure'

// exports.create: one service for every transport. The file goes where the user chose in a save
// dialog (desktop app), or into <workspace>/exports/<id>/ with a manifest, from which the headless
// server serves it by that opaque id — never by a path the browser could choose.

type ExportRequest = z.output<typeof exportRequestSchema>

const MANIFEST = 'export.json'
const ID = /^[A-Za-z0-9_-]{16,64}$/
const PROGRESS_EVERY_MS = 100

export const exportsDir = (ws: Workspace): string => join(ws.path, 'exports')

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'export'

function suggestedName(ws: Workspace, request: ExportRequest): string {
  if (request.kind === 'predictions')
    return `run-${request.runId}-${slug(runRow(ws.db, request.runId!).name)}-predictions.csv`
  if (request.kind === 'experiment') return `experiment-${request.experimentId}-results.csv`
  return `${slug(basename(ws.path))}-${request.kind}.csv`
}

const TITLES: Record<ExportKind, string> = {
  predictions: 'Save predictions as CSV',
  labels: 'Save labels as CSV',
  'label-edits': 'Save the label edit log as CSV',
  experiment: "Save the experiment's results as CSV",
}

/** Fails before any dialog opens when there is nothing to export; resolves the dataset names. */
function checkExportable(ws: Workspace, request: ExportRequest): number[] | undefined {
  const datasetIds = datasetIdsByName(ws.db, request.datasets)
  if (request.kind === 'experiment') experimentRow(ws.db, request.experimentId!)
  if (request.kind !== 'predictions') return datasetIds
  runRow(ws.db, request.runId!)
  if (!prepared(ws.db, 'SELECT 1 FROM prediction_sets WHERE run_id = ?').get(request.runId)) {
    throw new WorkbenchError(
      'not_found',
      `Run ${request.runId} has no predictions to export: let it finish, or predict with it first.`,
      { field: 'runId', id: request.runId },
    )
  }
  return datasetIds
}

async function write(
  ctx: WorkbenchContext,
  request: ExportRequest,
  datasetIds: number[] | undefined,
  file: string,
  onProgress: (done: number, total: number) => void,
): Promise<{ rows: number; columns: string[]; sidecar: string | null }> {
  const ws = ctx.requireWorkspace()
  if (request.kind === 'experiment') return exportExperiment(experimentDetail(ctx, request.experimentId!), file)
  if (request.kind === 'predictions')
    return exportPredictions(ws.db, request.runId!, file, { threshold: request.threshold, datasetIds, onProgress })
  if (request.kind === 'labels') return exportLabels(ws.db, file, { datasetIds, columns: request.columns, onProgress })
  return { ...(await exportLabelEdits(ws.db, file, { datasetIds, onProgress })), sidecar: null }
}

/** Writes one export, publishing export.progress; with saveAs, asks the user for the file first. */
export async function createExport(
  ctx: WorkbenchContext,
  request: ExportRequest,
): Promise<ExportResult | ExportCancelled> {
  const ws = ctx.requireWorkspace()
  const datasetIds = checkExportable(ws, request)
  const id = randomBytes(12).toString('base64url')
  const fileName = suggestedName(ws, request)
  let file: string
  if (request.saveAs) {
    const dialog = saveDialogOf(ctx)
    if (!dialog)
      throw new WorkbenchError(
        'invalid_arguments',
        'saveAs: only the desktop app has a save dialog; here the export is written to the workspace and downloaded.',
        { field: 'saveAs' },
      )
    const chosen = await dialog({ suggestedName: fileName, title: TITLES[request.kind] })
    if (!chosen) return { cancelled: true }
    file = chosen
  } else {
    file = join(exportsDir(ws), id, fileName)
    try {
      mkdirSync(join(exportsDir(ws), id), { recursive: true })
    } catch (e) {
      throw writeFailure(file, e)
    }
  }
  let lastSent = 0
  const progress = (done: number, total: number | null, force = false) => {
    const now = Date.now()
    if (!force && now - lastSent < PROGRESS_EVERY_MS) return
    lastSent = now
    ctx.events.publish('export.progress', { exportId: id, kind: request.kind, done, total })
  }
  progress(0, null, true)
  try {
    const written = await write(ctx, request, datasetIds, file, (done, total) => progress(done, total))
    progress(written.rows, written.rows, true)
    const result: ExportResult = {
      id,
      kind: request.kind,
      fileName: basename(file),
      file,
      sidecar: written.sidecar,
      rows: written.rows,
      columns: written.columns,
      bytes: statSync(file).size,
      savedTo: request.saveAs ? 'chosen' : 'workspace',
      runId: request.runId ?? null,
      createdAt: new Date().toISOString(),
    }
    if (!request.saveAs) writeFileSync(join(exportsDir(ws), id, MANIFEST), JSON.stringify(result, null, 2))
    return result
  } catch (e) {
    if (!request.saveAs) rmSync(join(exportsDir(ws), id), { recursive: true, force: true })
    throw writeFailure(file, e)
  }
}

/** An export of the workspace folder by id, its paths taken from where it is now (the workspace may have moved). */
function readExport(ws: Workspace, id: string): ExportResult | null {
  if (!ID.test(id)) return null
  const dir = join(exportsDir(ws), id)
  const manifest = join(dir, MANIFEST)
  if (!existsSync(manifest)) return null
  try {
    const saved = JSON.parse(readFileSync(manifest, 'utf8')) as ExportResult
    const file = join(dir, basename(saved.fileName))
    if (!existsSync(file)) return null
    const sidecar = saved.sidecar ? join(dir, basename(saved.sidecar)) : null
    return { ...saved, id, file, sidecar: sidecar && existsSync(sidecar) ? sidecar : null }
  } catch {
    return null
  }
}

/** What GET /download/<id>[/sidecar] sends: a file of a workspace export, or null for an id that is not one. */
export function findDownload(
  ws: Workspace,
  id: string,
  part: 'csv' | 'sidecar',
): { file: string; folder: string; name: string; type: string } | null {
  const found = readExport(ws, id)
  if (!found) return null
  // `folder`: the server sends the file only if it really lies there (not a link leading out).
  if (part === 'csv')
    return { file: found.file, folder: exportsDir(ws), name: found.fileName, type: 'text/csv; charset=utf-8' }
  return found.sidecar
    ? {
        file: found.sidecar,
        folder: exportsDir(ws),
        name: basename(found.sidecar),
        type: 'application/json; charset=utf-8',
      }
    : null
}

/** The workspace's exports, newest first. */
export function listExports(ws: Workspace): ExportResult[] {
  const dir = exportsDir(ws)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .map((id) => readExport(ws, id))
    .filter((e): e is ExportResult => e !== null)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
}
