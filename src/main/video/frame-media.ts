import type { Database } from 'better-sqlite3'
import { closeSync } from 'node:fs'
import { join } from 'node:path'
import { WorkbenchError } from '../../shared/errors'
import type { DatasetRow, ImageRow } from '../catalogue/catalogue-rows'
import { prepared } from '../db/statements'
import { FileRefused, openContainedFile } from '../files/contained-file'
import { filePath } from '../workspace/stored-paths'
import { fullFrame, type FrameVideo } from './full-frames'
import { proxyFrame } from './proxy-frames'
import type { VideoRow } from './video-rows'

// An image that is a video frame has no file of its own: its full size comes from its video,
// which must be a regular file inside its dataset folder, as an image's file must.

export interface FrameRef {
  video: FrameVideo
  frame: number
  /** The frame's own hash (its thumbnail's name). */
  sha256: string
  /** The aligned crop when the image is a face found in the frame. */
  cropSha256: string | null
}

/** The frame an image is, or undefined for a still image. */
export function frameOf(db: Database, imageId: number): FrameRef | undefined {
  const row = prepared<
    Pick<ImageRow, 'frame' | 'crop_sha256'> &
      Pick<VideoRow, 'id' | 'sha256' | 'path' | 'width' | 'height' | 'fps' | 'native_fps' | 'frames'> &
      Pick<DatasetRow, 'root'> & { frame_sha256: string }
  >(
    db,
    `SELECT i.frame, i.sha256 AS frame_sha256, i.crop_sha256, v.id, v.sha256, v.path, v.width, v.height, v.fps, v.native_fps, v.frames, d.root
     FROM images i JOIN videos v ON v.id = i.video_id JOIN datasets d ON d.id = v.dataset_id WHERE i.id = ?`,
  ).get(imageId)
  if (!row || row.frame === null) return undefined
  const root = filePath(db, row.root)
  const file = join(root, row.path)
  try {
    closeSync(openContainedFile(file, root).fd)
  } catch (e) {
    if (!(e instanceof FileRefused)) throw e
    const why = e.reason === 'missing' ? 'is missing (was the dataset moved?)' : e.message
    throw new WorkbenchError('not_found', `The video of image ${imageId} ${why}: ${file}.`, { id: imageId, file })
  }
  const { frame, frame_sha256, crop_sha256: cropSha256, root: _root, path: _path, ...video } = row
  return { video: { ...video, file }, frame, sha256: frame_sha256, cropSha256 }
}

export const frameJpeg = (ref: FrameRef): Promise<Buffer> => fullFrame(ref.video, ref.frame)

/** The frame's proxy JPEG for scrubbing, or undefined while its video's proxy is being written. */
export const frameProxy = (proxiesDir: string, ref: FrameRef): Buffer | undefined =>
  proxyFrame(proxiesDir, ref.video, ref.frame)
