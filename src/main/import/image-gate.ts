import { realpathSync } from 'node:fs'
import { isAbsolute, relative, sep } from 'node:path'
import type { ImportReportIssue } from '../../shared/contract'
import { shortened } from './formats/common/shown'
import type { ProcessedImage } from './image-bytes'
import type { ImportRecord } from './record'

// Where every record's image is checked to lie inside its dataset (import-images.ts, import-frames.ts),
// and what the check and decoding make of a record.

export type Outcome =
  | {
      ok: true
      record: ImportRecord
      image: ProcessedImage
      path: string
      /** Where the image is read from again (faces step): the real file, or the media file to be written; none for a video frame. */
      file?: string
      mediaFile?: string
      /** What the split is drawn from when not the path: a video frame goes where its video goes. */
      splitKey?: string
    }
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

export const toPosix = (p: string) => p.split(sep).join('/')
const escapes = (rel: string) => !rel || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)

/** The image's path relative to the dataset as it really is (links resolved), or why it is not taken. */
export async function realImagePath(
  ctx: ImageContext,
  abs: string,
): Promise<{ path: string; real: string } | { reason: string; detail: string }> {
  const rel = relative(ctx.folder, abs)
  if (escapes(rel))
    return { reason: 'path escapes root', detail: `${shortened(abs)} is outside the dataset folder ${ctx.folder}` }
  // Synchronous, like the reading that follows (image-bytes.ts): a look-up per image is cheaper
  // than its hand-over to the thread pool and back.
  let real: string | undefined
  try {
    real = realpathSync.native(abs)
  } catch {
    real = undefined
  }
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
