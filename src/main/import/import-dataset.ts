import { existsSync } from 'node:fs'
import { realpath } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import type { ImportReport, ImportReportIssue } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { classIndex } from '../catalogue/classes'
import { prepared } from '../db/statements'
import type { EventBus } from '../events/event-bus'
import type { Workspace } from '../workspace/workspace'
import { FORMATS, datasetFolder } from './formats'
import { mediaFolderFor, writeMedia } from './image-bytes'
import { importFailure, removeWritten } from './import-failure'
import { processRecord, type ImageContext, type Outcome } from './import-images'
import { boundedDetail, countIssues, listedIssues, writeIssuesFile } from './import-report'
import { DatasetError, type DatasetReader, type FormatName, type ImportIssue, type ReaderOptions } from './record'
import { DEFAULT_SPLIT, seededSplit, type SplitRatios } from './split'
import { writeImport, type PendingImage } from './write-import'

export interface ImportRequest {
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

const asReportIssue = (i: ImportIssue): ImportReportIssue => ({
  file: i.file, ...(i.row !== undefined ? { row: i.row } : {}), ...(i.column ? { column: i.column } : {}),
  reason: i.reason, detail: boundedDetail(i.detail), ...(i.kept ? { kept: true } : {}),
})

/** What one import gathers before it writes: the images to add, the issues, the files written so far. */
interface Gathered {
  pending: PendingImage[]
  issues: ImportReportIssue[]
  /** Media files (FER2013 pixels as PNG) written under the workspace. */
  media: string[]
  alreadyImported: number
  done: number
}

/**
 * Imports a dataset in place: the reader yields records, each image is read, hashed and decoded
 * (thumbnail written), duplicates and escapes are refused, and everything lands in the catalogue
 * in one transaction at the end. A failure or a kill before then leaves the catalogue unchanged;
 * a failure also removes the thumbnails and media this import wrote.
 */
export async function importDataset(ws: Workspace, request: ImportRequest, events?: EventBus, reader: DatasetReader = FORMATS[request.format]): Promise<ImportReport> {
  const started = Date.now()
  const root = resolve(request.path)
  const options = request.options ?? {}
  if (!existsSync(root)) throw new WorkbenchError('import_failed', `${root} does not exist: give the dataset's folder (or its label file).`, { path: root })
  const name = request.name ?? defaultName(root)
  const classes = classIndex(ws.db)
  const existing = prepared(ws.db, 'SELECT id, format, options FROM datasets WHERE name = ?').get(name) as { id: number; format: string; options: string } | undefined
  if (existing && (existing.format !== request.format || (JSON.parse(existing.options) as { source?: string }).source !== root)) {
    throw new WorkbenchError('conflict', `A dataset named "${name}" already exists from another source (${existing.format}): choose another --name.`, { field: 'name', name })
  }
  // The path may be the dataset's label file; images live relative to the folder holding it.
  const folder = await datasetFolder(root)
  let labelSpace: string[]
  try {
    labelSpace = await reader.labelSpace(root, options)
  } catch (e) {
    throw readerFailure(e, root)
  }
  for (const code of labelSpace) classes.id(code, 'label space')

  const ctx: ImageContext = { folder, realFolder: await realpath(folder), thumbnailsDir: ws.thumbnailsDir, mediaRoot: mediaFolderFor(ws.mediaDir, name), createdThumbnails: [] }
  const got: Gathered = { pending: [], issues: [], media: [], alreadyImported: 0, done: 0 }
  let lastEvent = 0
  const knownPath = prepared(ws.db, 'SELECT 1 FROM images WHERE dataset_id = ? AND path = ?')
  const sameContent = prepared(ws.db, 'SELECT d.name, i.path FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.sha256 = ? LIMIT 1')
  const seenSha = new Map<string, string>()
  const datasetId = existing?.id ?? null

  /** Takes one outcome into the import; a fatal one (the workspace cannot be written) throws. */
  function collect(outcome: Outcome): void {
    got.done++
    if (!outcome.ok) {
      if ('fatal' in outcome) throw outcome.fatal
      return void got.issues.push({ ...outcome.issue, detail: boundedDetail(outcome.issue.detail) })
    }
    const { record, image, path } = outcome
    const at = { file: record.source.file, row: record.source.row }
    const unknown = Object.keys(record.labels).filter((code) => !classes.has(code))
    if (unknown.length) return void got.issues.push({ ...at, reason: 'unknown code', detail: `no class ${unknown.join(', ')}` })
    if (datasetId !== null && knownPath.get(datasetId, path)) return void got.alreadyImported++
    const earlier = seenSha.get(image.sha256) ?? (sameContent.get(image.sha256) as { name: string; path: string } | undefined)
    if (earlier) {
      const where = typeof earlier === 'string' ? earlier : `${earlier.name}/${earlier.path}`
      return void got.issues.push({ ...at, reason: 'duplicate content', detail: `${path} has the same content as ${where}` })
    }
    seenSha.set(image.sha256, path)
    if (outcome.mediaFile) {
      got.media.push(outcome.mediaFile)
      writeMedia(outcome.mediaFile, image.bytes)
    }
    const split = record.split ?? seededSplit(path, request.split?.seed ?? 1, request.split ?? DEFAULT_SPLIT)
    got.pending.push({ path, sha256: image.sha256, width: image.width, height: image.height, split, labels: record.labels, faceBox: record.faceBox, attributes: record.attributes })
    const now = Date.now()
    if (events && now - lastEvent > 200) {
      lastEvent = now
      events.publish('import.progress', { dataset: name, done: got.done, total: null, file: record.source.file })
    }
  }

  let result: { datasetId: number | null; labels: number }
  let listing = listedIssues([])
  let issuesFile: string | undefined
  try {
    await readAll(reader, root, options, ctx, got, collect)
    listing = listedIssues(got.issues)
    if (Object.keys(listing.leftOff).length) issuesFile = writeIssuesFile(join(ws.path, 'import-reports'), name, got.issues)
    // Pixel datasets (FER2013) live as PNGs the workbench wrote under the workspace; others in place.
    const storedRoot = existing ? currentRoot(ws, existing.id) : got.media.length ? ctx.mediaRoot : folder
    result = got.pending.length || existing
      ? writeImport(ws.db, {
          existingId: datasetId,
          dataset: { name, root: storedRoot, format: request.format, options: { source: root, reader: options } },
          labelSpace,
          images: got.pending,
          setBy: request.setBy ?? `import:${request.format}`,
        })
      : { datasetId: null, labels: 0 }
  } catch (e) {
    removeWritten([...got.media, ...(issuesFile ? [issuesFile] : []), ...ctx.createdThumbnails], ctx.mediaRoot)
    throw importFailure(readerFailure(e, root), name, ws.path)
  }
  events?.publish('import.progress', { dataset: name, done: got.done, total: got.done, file: '' })

  return {
    dataset: name,
    datasetId: result.datasetId,
    format: request.format,
    root,
    imported: got.pending.length,
    alreadyImported: got.alreadyImported,
    ...countIssues(got.issues),
    issues: listing.listed,
    issuesLeftOff: listing.leftOff,
    ...(issuesFile ? { issuesFile } : {}),
    labelSpace,
    labels: result.labels,
    seconds: (Date.now() - started) / 1000,
  }
}

/** Reads every record and issue, IN_FLIGHT images at a time; on a failure, waits for those in flight. */
async function readAll(reader: DatasetReader, root: string, options: ReaderOptions, ctx: ImageContext, got: Gathered, collect: (o: Outcome) => void): Promise<void> {
  const queue: Promise<Outcome>[] = []
  try {
    for await (const item of reader.read(root, options)) {
      if (item.kind === 'issue') {
        got.done++
        got.issues.push(asReportIssue(item))
        continue
      }
      queue.push(processRecord(ctx, item))
      if (queue.length >= IN_FLIGHT) collect(await queue.shift()!)
    }
    while (queue.length) collect(await queue.shift()!)
  } finally {
    // Their thumbnails must be known before a failed import removes what it wrote.
    await Promise.all(queue)
  }
}

const currentRoot = (ws: Workspace, id: number): string => (prepared(ws.db, 'SELECT root FROM datasets WHERE id = ?').get(id) as { root: string }).root

function readerFailure(e: unknown, root: string): unknown {
  if (e instanceof WorkbenchError) return e
  if (e instanceof DatasetError) return new WorkbenchError('import_failed', e.message, { path: e.path ?? root })
  return e
}
