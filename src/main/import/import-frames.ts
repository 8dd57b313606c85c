import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { ensureThumbnail, thumbnailPath } from '../catalogue/media'
import { realImagePath, type ImageContext, type Outcome } from './image-gate'
import type { FrameImage, ImportRecord } from './record'

// A video frame's way through the import gate: its video must really lie inside the dataset (as an
// image file must); its thumbnail is written from the small frame the reader decoded. A frame has
// no bytes of its own: its identity is its video's content, the rate its frames are numbered at,
// and its number, so a re-import finds the same frames and a copy of the video elsewhere is
// reported as the duplicate it is.

export const framePath = (videoPath: string, frame: number): string => `${videoPath}#${frame}`

export const frameSha256 = (videoSha256: string, fps: number, frame: number): string =>
  createHash('sha256').update(`video ${videoSha256} at ${fps} fps, frame ${frame}`).digest('hex')

export async function frameOutcome(ctx: ImageContext, record: ImportRecord, image: FrameImage): Promise<Outcome> {
  const found = await realImagePath(ctx, image.video.file)
  if ('reason' in found)
    return { ok: false, issue: { file: record.source.file, reason: found.reason, detail: found.detail } }
  const sha256 = frameSha256(image.video.sha256, image.video.fps, image.frame)
  if (!existsSync(thumbnailPath(ctx.thumbnailsDir, sha256)))
    ctx.thumbnailsWritten.push(thumbnailPath(ctx.thumbnailsDir, sha256))
  await ensureThumbnail(ctx.thumbnailsDir, sha256, { raw: image.rgb, ...image.video.small })
  return {
    ok: true,
    record,
    image: { sha256, width: image.video.width, height: image.video.height, bytes: Buffer.alloc(0) },
    path: framePath(found.path, image.frame),
    splitKey: found.path,
  }
}
