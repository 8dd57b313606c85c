import { existsSync, rmSync } from 'node:fs'
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { ImportReport, ImportReportIssue } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { classIndex } from '../catalogue/classes'
import { prepared } from '../db/statements'
import type { EventBus } from '../events/event-bus'
import type { Workspace } from '../workspace/workspace'
import { FORMATS, datasetFolder } from './formats'
import { mediaFolderFor, pixelsToPng, processImage, readImageFile, writeMedia, type ProcessedImage } from './image-bytes'
import { DatasetError, type DatasetReader, type FormatName, type ImportRecord, type ReaderOptions } from './record'
import { DEFAULT_SPLIT, seededSplit, type SplitRatios } from './split'
import { oneEmotionCheck } from './one-emotion'
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

type Outcome = { ok: true; record: ImportRecord; image: ProcessedImage; path: string; mediaFile?: string } | { ok: false; issue: ImportReportIssue }

const toPosix = (p: string) => p.split(sep).join('/')

function defaultName(root: string): string {
  const base = basename(root)
  return extname(base) ? basename(base, extname(base)) : base
}

/**
 * Imports a dataset in place: the reader yields records, each image is read, hashed and decoded
 * (thumbnail written), duplicates and escapes are refused, and everything lands in the catalogue
 * in one transaction at the end — a failure or a kill before then leaves the catalogue unchanged.
 */
export async function importDataset(ws: Workspace, request: ImportRequest, events?: EventBus, reader: DatasetReader = FORMATS[request.format]): Promise<ImportReport> {
  const started = Date.now()
  const root = resolve(request.path)
  const options = request.options ?? {}
  if (!existsSync(root)) throw new WorkbenchError('import_failed', `${root} does not exist: give the dataset's folder (or its label file).`, { path: root })
  const name = request.name ?? defaultName(root)
  const classes = classIndex(ws.db)
  const existing = prepared(ws.db, 'SELECT id, format, options, multi_label FROM datasets WHERE name = ?').get(name) as { id: number; format: string; options: string; multi_label: number } | undefined
  if (existing && (existing.format !== request.format || (JSON.parse(existing.options) as { source?: string }).source !== root)) {
    throw new WorkbenchError('conflict', `A dataset named "${name}" already exists from another source (${existing.format}): choose another --name.`, { field: 'name', name })
  }
  const mediaRoot = mediaFolderFor(ws.mediaDir, name)
  // The path may be the dataset's label file; images live relative to the folder holding it.
  const folder = await datasetFolder(root)

  let labelSpace: string[]
  try {
    labelSpace = await reader.labelSpace(root, options)
  } catch (e) {
    throw readerFailure(e, root)
  }
  for (const code of labelSpace) classes.id(code, 'label space')
  // A dataset keeps the nature it was first imported with.
  const multiLabel = existing ? existing.multi_label === 1 : (reader.multiLabel?.(options) ?? false)
  const oneEmotion = oneEmotionCheck(classes.list, multiLabel)

  const issues: ImportReportIssue[] = []
  const pending: PendingImage[] = []
  const seenSha = new Map<string, string>()
  const written: string[] = []
  let alreadyImported = 0
  let done = 0
  let lastEvent = 0
  const knownPath = prepared(ws.db, 'SELECT 1 FROM images WHERE dataset_id = ? AND path = ?')
  const sameContent = prepared(ws.db, 'SELECT d.name, i.path FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.sha256 = ? LIMIT 1')

  async function process(record: ImportRecord): Promise<Outcome> {
    const fail = (reason: string, detail: string): Outcome => ({ ok: false, issue: { file: record.source.file, row: record.source.row, reason, detail } })
    try {
      if (record.image.type === 'pixels') {
        const bytes = await pixelsToPng(record.image)
        const path = `${record.image.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`
        return { ok: true, record, image: await processImage(bytes, ws.thumbnailsDir), path, mediaFile: join(mediaRoot, path) }
      }
      const rel = relative(folder, record.image.path)
      if (!rel || rel.startsWith('..') || isAbsolute(rel)) return fail('path escapes root', `${record.image.path} is outside the dataset folder ${folder}`)
      let bytes: Buffer
      try {
        bytes = await readImageFile(record.image.path)
      } catch {
        return fail('missing image', `${toPosix(rel)} cannot be read`)
      }
      try {
        return { ok: true, record, image: await processImage(bytes, ws.thumbnailsDir), path: toPosix(rel) }
      } catch (e) {
        return fail('unreadable image', `${toPosix(rel)}: ${(e as Error).message}`)
      }
    } catch (e) {
      return fail('unreadable image', (e as Error).message)
    }
  }

  const datasetId = existing?.id ?? null
  function collect(outcome: Outcome): void {
    done++
    if (!outcome.ok) return void issues.push(outcome.issue)
    const { record, image, path } = outcome
    const unknown = Object.keys(record.labels).filter((code) => !classes.has(code))
    if (unknown.length) return void issues.push({ file: record.source.file, row: record.source.row, reason: 'unknown code', detail: `no class ${unknown.join(', ')}` })
    const several = oneEmotion(record.labels)
    if (several) return void issues.push({ file: record.source.file, row: record.source.row, reason: 'malformed row', detail: several })
    if (datasetId !== null && knownPath.get(datasetId, path)) return void alreadyImported++
    const earlier = seenSha.get(image.sha256) ?? (sameContent.get(image.sha256) as { name: string; path: string } | undefined)
    if (earlier) {
      const where = typeof earlier === 'string' ? earlier : `${earlier.name}/${earlier.path}`
      return void issues.push({ file: record.source.file, row: record.source.row, reason: 'duplicate content', detail: `${path} has the same content as ${where}` })
    }
    seenSha.set(image.sha256, path)
    if (outcome.mediaFile) {
      writeMedia(outcome.mediaFile, image.bytes)
      written.push(outcome.mediaFile)
    }
    const split = record.split ?? seededSplit(path, request.split?.seed ?? 1, request.split ?? DEFAULT_SPLIT)
    pending.push({ path, sha256: image.sha256, width: image.width, height: image.height, split, labels: record.labels, faceBox: record.faceBox, attributes: record.attributes })
    const now = Date.now()
    if (events && now - lastEvent > 200) {
      lastEvent = now
      events.publish('import.progress', { dataset: name, done, total: null, file: record.source.file })
    }
  }

  const queue: Promise<Outcome>[] = []
  try {
    for await (const item of reader.read(root, options)) {
      if (item.kind === 'issue') {
        done++
        issues.push({ file: item.file, row: item.row, reason: item.reason, detail: item.detail })
        continue
      }
      queue.push(process(item))
      if (queue.length >= IN_FLIGHT) collect(await queue.shift()!)
    }
    while (queue.length) collect(await queue.shift()!)
  } catch (e) {
    for (const f of written) rmSync(f, { force: true })
    throw readerFailure(e, root)
  }

  // Pixel datasets (FER2013) live as PNGs the workbench wrote under the workspace; others in place.
  const storedRoot = existing ? currentRoot(ws, existing.id) : written.length ? mediaRoot : folder
  let result: { datasetId: number | null; labels: number }
  try {
    result = pending.length || existing
      ? writeImport(ws.db, {
          existingId: datasetId,
          dataset: { name, root: storedRoot, format: request.format, options: { source: root, reader: options }, multiLabel },
          labelSpace,
          images: pending,
          setBy: request.setBy ?? `import:${request.format}`,
        })
      : { datasetId: null, labels: 0 }
  } catch (e) {
    for (const f of written) rmSync(f, { force: true })
    throw e
  }
  events?.publish('import.progress', { dataset: name, done, total: done, file: '' })

  const skippedByReason: Record<string, number> = {}
  for (const i of issues) skippedByReason[i.reason] = (skippedByReason[i.reason] ?? 0) + 1
  return {
    dataset: name,
    datasetId: result.datasetId,
    format: request.format,
    root,
    imported: pending.length,
    alreadyImported,
    skipped: issues.length,
    skippedByReason,
    issues,
    labelSpace,
    labels: result.labels,
    seconds: (Date.now() - started) / 1000,
  }
}

const currentRoot = (ws: Workspace, id: number): string => (prepared(ws.db, 'SELECT root FROM datasets WHERE id = ?').get(id) as { root: string }).root

function readerFailure(e: unknown, root: string): Error {
  if (e instanceof WorkbenchError) return e
  if (e instanceof DatasetError) return new WorkbenchError('import_failed', e.message, { path: e.path ?? root })
  return e as Error
}
