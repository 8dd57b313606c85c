import { existsSync } from 'node:fs'
import { realpath } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import type { ImportFacesReport, ImportReport } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { datasetOptionsOf, type DatasetRow } from '../catalogue/catalogue-rows'
import { classIndex } from '../catalogue/classes'
import { prepared } from '../db/statements'
import type { EventBus } from '../app/event-bus'
import type { Workspace } from '../workspace/workspace'
import { FORMATS, datasetFolder } from './formats'
import { mediaFolderFor } from './image-bytes'
import { ImportBatch } from './import-batch'
import { importFailure, removeWritten } from './import-failure'
import { processRecord, type ImageContext, type Outcome } from './import-images'
import { oneEmotionCheck } from './one-emotion'
import { countIssues, listedIssues, writeIssuesFile } from './import-report'
import { DatasetError, type DatasetReader, type FormatName, type ReaderOptions } from './record'
import type { SplitRatios } from './split'
import { writeImport } from './write-import'
import { makeItems, stepsFor, type FacesRequest } from './faces/items-step'
import { stoppedImport } from './faces/face-items'

export interface ImportRequest extends FacesRequest {
  format: FormatName
  path: string
  name?: string
  options?: ReaderOptions
  split?: SplitRatios & { seed: number }
  /** Who the imported labels are recorded as set by (default `import:<format>`). */
  setBy?: string
}

/** Images decoded at once: enough to keep sharp's thread pool busy, few enough to bound memory. */
const IN_FLIGHT = 16

function defaultName(root: string): string {
  const base = basename(root)
  return extname(base) ? basename(base, extname(base)) : base
}

/** What the request was checked to be: where the dataset is, its name, whether it is already in the catalogue, its label space. */
interface Plan {
  root: string
  name: string
  /** The folder images are relative to (the path may be the dataset's label file). */
  folder: string
  existing?: Pick<DatasetRow, 'id' | 'root' | 'multi_label'>
  options: ReaderOptions
  labelSpace: string[]
  multiLabel: boolean
}

/** Where the dataset is and what it is called, refusing a missing path and a name taken by another source. */
async function targetOf(
  ws: Workspace,
  request: ImportRequest,
): Promise<Pick<Plan, 'root' | 'name' | 'existing' | 'folder'>> {
  const root = resolve(request.path)
  if (!existsSync(root))
    throw new WorkbenchError(
      'import_failed',
      `${root} does not exist: give the dataset's folder (or its label file).`,
      { path: root },
    )
  const name = request.name ?? defaultName(root)
  const existing = prepared<Pick<DatasetRow, 'id' | 'root' | 'format' | 'options' | 'multi_label'>>(
    ws.db,
    'SELECT id, root, format, options, multi_label FROM datasets WHERE name = ?',
  ).get(name)
  const source = existing ? datasetOptionsOf(existing).source : undefined
  if (existing && (existing.format !== request.format || source === undefined || ws.file(source) !== root)) {
    throw new WorkbenchError(
      'conflict',
      `A dataset named "${name}" already exists from another source (${existing.format}): choose another --name.`,
      { field: 'name', name },
    )
  }
  // The path may be the dataset's label file; images live relative to the folder holding it.
  return { root, name, existing, folder: await datasetFolder(root) }
}

/** Check: the dataset's place and name, and its label space (every code one the catalogue knows). */
async function check(ws: Workspace, request: ImportRequest, reader: DatasetReader): Promise<Plan> {
  const target = await targetOf(ws, request)
  const options = request.options ?? {}
  let labelSpace: string[]
  try {
    labelSpace = await reader.labelSpace(target.root, options)
  } catch (e) {
    throw readerFailure(e, target.root)
  }
  const classes = classIndex(ws.db)
  for (const code of labelSpace) classes.id(code, 'label space')
  // A dataset keeps the nature it was first imported with.
  const multiLabel = target.existing ? target.existing.multi_label === 1 : (reader.multiLabel?.(options) ?? false)
  return { ...target, options, labelSpace, multiLabel }
}

/** Where the reading goes: the images met so far, their thumbnails and media, the issues. Nothing is in the catalogue yet. */
async function startReading(
  ws: Workspace,
  request: ImportRequest,
  plan: Plan,
  events: EventBus | undefined,
): Promise<{ ctx: ImageContext; batch: ImportBatch }> {
  const ctx: ImageContext = {
    folder: plan.folder,
    realFolder: await realpath(plan.folder),
    thumbnailsDir: ws.thumbnailsDir,
    mediaRoot: mediaFolderFor(ws.mediaDir, plan.name),
    thumbnailsWritten: [],
  }
  const classes = classIndex(ws.db)
  const batch = new ImportBatch(
    ws.db,
    { name: plan.name, id: plan.existing?.id ?? null },
    request.split,
    events,
    oneEmotionCheck(classes.list, plan.multiLabel),
    stepsFor(request),
  )
  return { ctx, batch }
}

interface Written {
  faces: ImportFacesReport
  leakage: number
  datasetId: number | null
  labels: number
  listing: ReturnType<typeof listedIssues>
  issuesFile?: string
}

/**
 * Write: the full issue list when the report cannot list them all, then the catalogue in one
 * transaction. Files written here are added to `written`, so that a failure can remove them.
 */
function write(
  ws: Workspace,
  request: ImportRequest,
  plan: Plan,
  read: { ctx: ImageContext; batch: ImportBatch },
  written: string[],
  items: Pick<Written, 'faces' | 'leakage'>,
): Written {
  const { ctx, batch } = read
  const listing = listedIssues(batch.issues)
  let issuesFile: string | undefined
  if (Object.keys(listing.leftOff).length)
    written.push((issuesFile = writeIssuesFile(join(ws.path, 'import-reports'), plan.name, batch.issues)))
  // Pixel datasets (FER2013) live as PNGs the workbench wrote under the workspace; others in place.
  // Stored relative to the workspace when inside it (the demo, the media folder), so the workspace can move.
  const storedRoot = plan.existing?.root ?? ws.stored(batch.media.length ? ctx.mediaRoot : plan.folder)
  let result: { datasetId: number | null; labels: number } = { datasetId: null, labels: 0 }
  if (batch.pending.length || plan.existing) {
    result = writeImport(ws.db, {
      existingId: plan.existing?.id ?? null,
      dataset: {
        name: plan.name,
        root: storedRoot,
        format: request.format,
        options: { source: ws.stored(plan.root), reader: plan.options },
        multiLabel: plan.multiLabel,
      },
      labelSpace: plan.labelSpace,
      images: batch.pending,
      setBy: request.setBy ?? `import:${request.format}`,
    })
  }
  return { ...result, ...items, listing, ...(issuesFile ? { issuesFile } : {}) }
}

/** Report: what was imported, already there, skipped and why. */
function report(
  request: ImportRequest,
  plan: Plan,
  batch: ImportBatch,
  written: Written,
  seconds: number,
): ImportReport {
  return {
    dataset: plan.name,
    datasetId: written.datasetId,
    format: request.format,
    root: plan.root,
    imported: batch.pending.length,
    alreadyImported: batch.alreadyImported,
    ...countIssues(batch.issues),
    issues: written.listing.listed,
    issuesLeftOff: written.listing.leftOff,
    ...(written.issuesFile ? { issuesFile: written.issuesFile } : {}),
    labelSpace: plan.labelSpace,
    labels: written.labels,
    seconds,
    faces: written.faces,
    leakage: written.leakage,
  }
}

/**
 * Imports a dataset in place, as check -> read -> write -> report: the reader yields records, each
 * image is read, hashed and decoded (thumbnail written), duplicates and escapes are refused, and
 * everything lands in the catalogue in one transaction at the end. A failure or a kill before then
 * leaves the catalogue unchanged; a failure also removes the thumbnails, media and issue list this
 * import wrote.
 */
export async function importDataset(
  ws: Workspace,
  request: ImportRequest,
  events?: EventBus,
  reader: DatasetReader = FORMATS[request.format],
): Promise<ImportReport> {
  const started = Date.now()
  const plan = await check(ws, request, reader)
  const read = await startReading(ws, request, plan, events)
  const written: string[] = []
  let result: Written
  try {
    await readAll(reader, plan.root, plan.options, read.ctx, read.batch, request.signal)
    const items = await makeItems(
      ws,
      request,
      { name: plan.name, id: plan.existing?.id ?? null },
      read.batch,
      written,
      events,
    )
    result = write(ws, request, plan, read, written, items)
  } catch (e) {
    removeWritten([...read.batch.media, ...written, ...read.ctx.thumbnailsWritten], read.ctx.mediaRoot)
    throw importFailure(readerFailure(e, plan.root), plan.name, ws.path)
  }
  events?.publish('import.progress', { dataset: plan.name, done: read.batch.done, total: read.batch.done, file: '' })
  return report(request, plan, read.batch, result, (Date.now() - started) / 1000)
}

/** Reads every record and issue, IN_FLIGHT images at a time; on a failure, waits for those in flight. */
async function readAll(
  reader: DatasetReader,
  root: string,
  options: ReaderOptions,
  ctx: ImageContext,
  batch: ImportBatch,
  signal?: AbortSignal,
): Promise<void> {
  const queue: Promise<Outcome>[] = []
  try {
    for await (const item of reader.read(root, options)) {
      if (signal?.aborted) throw stoppedImport()
      if (item.kind === 'issue') {
        // A video taken back: its frames still in flight must be taken first, then dropped with the rest.
        if (item.dropsVideo) while (queue.length) batch.take(await queue.shift()!)
        batch.issue(item)
        continue
      }
      queue.push(processRecord(ctx, item))
      if (queue.length >= IN_FLIGHT) batch.take(await queue.shift()!)
    }
    while (queue.length) batch.take(await queue.shift()!)
  } finally {
    // Their thumbnails must be known before a failed import removes what it wrote.
    await Promise.all(queue)
  }
}

function readerFailure(e: unknown, root: string): unknown {
  if (e instanceof WorkbenchError) return e
  if (e instanceof DatasetError) return new WorkbenchError('import_failed', e.message, { path: e.path ?? root })
  return e
}
