import { realpath } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import type { ImportReportIssue } from '../../shared/contract'
import { shortened } from './formats/common/shown'
import { pixelsToPng, processImage, readImageFile, type ProcessedImage } from './image-bytes'
import { isWorkspaceWriteError } from './import-failure'
import type { ImportRecord } from './record'

// One record's image: found on disk, read, hashed and decoded (its thumbnail written on the way).
// This is the one gate every reader's images pass: an image is taken from where it really is, so a
// link that leads out of the dataset is reported with its real path, never imported.

export type Outcome =
  /** `file`: where the image is read from again (faces step): the real file, or the media file to be written. */
  | { ok: true; record: ImportRecord; image: ProcessedImage; path: string; file: string; mediaFile?: string }
  | { ok: false; issue: ImportReportIssue }
  /** The workspace could not be written (disk full...): the whole import stops and is rolled back. */
  | { ok: false; fatal: unknown }

export interface ImageContext {
  /** The dataset folder as given (paths in reports are relative to it) and as it really is on disk. */
  folder: string
  realFolder: string
  thumbnailsDir: string
  /** Where images given as pixels are written (FER2013), under the workspace. */
  mediaRoot: string
  /** Thumbnails this import wrote or began to write, removed again when it fails. */
  thumbnailsWritten: string[]
}

const toPosix = (p: string) => p.split(sep).join('/')
const escapes = (rel: string) => !rel || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)

/** The image's path relative to the dataset as it really is (links resolved), or why it is not taken. */
async function realImagePath(
  ctx: ImageContext,
  abs: string,
): Promise<{ path: string; real: string } | { reason: string; detail: string }> {
  const rel = relative(ctx.folder, abs)
  if (escapes(rel))
    return { reason: 'path escapes root', detail: `${shortened(abs)} is outside the dataset folder ${ctx.folder}` }
  const real = await realpath(abs).catch(() => undefined)
  if (!real) return { reason: 'missing image', detail: `${shortened(toPosix(rel))} cannot be read` }
  const realRel = relative(ctx.realFolder, real)
  if (escapes(realRel)) {
    return {
      reason: 'path escapes root',
      detail: `${shortened(toPosix(rel))} is a link to ${shortened(real)}, outside the dataset folder ${ctx.folder}; not imported`,
    }
  }
  return { path: toPosix(realRel), real }
}

const decoded = (ctx: ImageContext, bytes: Buffer): Promise<ProcessedImage> =>
  processImage(bytes, ctx.thumbnailsDir, ctx.thumbnailsWritten)

/** The outcome of one record; never rejects (a failure to write the workspace is a `fatal` outcome). */
export async function processRecord(ctx: ImageContext, record: ImportRecord): Promise<Outcome> {
  const fail = (reason: string, detail: string): Outcome => ({
    ok: false,
    issue: { file: record.source.file, row: record.source.row, reason, detail },
  })
  try {
    if (record.image.type === 'pixels') {
      const bytes = await pixelsToPng(record.image)
      const path = `${record.image.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`
      const mediaFile = join(ctx.mediaRoot, path)
      return { ok: true, record, image: await decoded(ctx, bytes), path, file: mediaFile, mediaFile }
    }
    const found = await realImagePath(ctx, record.image.path)
    if ('reason' in found) return fail(found.reason, found.detail)
    let bytes: Buffer
    try {
      bytes = await readImageFile(found.real)
    } catch {
      return fail('missing image', `${shortened(found.path)} cannot be read`)
    }
    return { ok: true, record, image: await decoded(ctx, bytes), path: found.path, file: found.real }
  } catch (e) {
    if (isWorkspaceWriteError(e)) return { ok: false, fatal: e }
    const where = record.image.type === 'file' ? `${shortened(toPosix(relative(ctx.folder, record.image.path)))}: ` : ''
    return fail('unreadable image', `${where}${(e as Error).message}`)
  }
}
