import { join, relative } from 'node:path'
import { shortened } from './formats/common/shown'
import { processImage, processPixels, readImageFile, type ProcessedImage } from './image-bytes'
import { isWorkspaceWriteError } from './import-failure'
import { frameOutcome } from './import-frames'
import { realImagePath, toPosix, type ImageContext, type Outcome } from './image-gate'
import type { ImportRecord } from './record'

export type { ImageContext, Outcome } from './image-gate'

// One record's image: found on disk, read, hashed and decoded (its thumbnail written on the way).
// This is the one gate every reader's images pass: an image is taken from where it really is, so a
// link that leads out of the dataset is reported with its real path, never imported.

const decoded = (ctx: ImageContext, bytes: Buffer): Promise<ProcessedImage> =>
  processImage(bytes, ctx.thumbnailsDir, ctx.thumbnailsWritten)

/** The outcome of one record; never rejects (a failure to write the workspace is a `fatal` outcome). */
export async function processRecord(ctx: ImageContext, record: ImportRecord): Promise<Outcome> {
  const fail = (reason: string, detail: string): Outcome => ({
    ok: false,
    issue: { file: record.source.file, row: record.source.row, reason, detail },
  })
  try {
    if (record.image.type === 'frame') return await frameOutcome(ctx, record, record.image)
    if (record.image.type === 'pixels') {
      const image = await processPixels(record.image)
      const path = `${record.image.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`
      const mediaFile = join(ctx.mediaRoot, path)
      return { ok: true, record, image, path, file: mediaFile, mediaFile }
    }
    const found = await realImagePath(ctx, record.image.path)
    if ('reason' in found) return fail(found.reason, found.detail)
    let bytes: Buffer
    try {
      bytes = readImageFile(found.real)
    } catch {
      return fail('missing image', `${shortened(found.path)} cannot be read`)
    }
    return { ok: true, record, image: await decoded(ctx, bytes), path: found.path, file: found.real }
  } catch (e) {
    if (isWorkspaceWriteError(e)) return { ok: false, fatal: e }
    const where =
      record.image.type !== 'pixels'
        ? `${shortened(toPosix(relative(ctx.folder, record.image.type === 'file' ? record.image.path : record.image.video.file)))}: `
        : ''
    return fail('unreadable image', `${where}${(e as Error).message}`)
  }
}
