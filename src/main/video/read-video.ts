import { THUMBNAIL_SIZE } from '../catalogue/media'
import type { ImportIssue, ImportRecord, LabelEntry, VideoSource } from '../import/record'
import { DecodeError, decodeFrames } from './decode-frames'
import { fitInside } from './frame-size'
import { catalogueFrameOf } from './frame-rate'
import { VideoFileError, probeVideo } from './probe'
import { fileSha256 } from './video-files'

// One video as an importer reads it: probed, hashed, then decoded once at thumbnail size into one
// record per frame. A video that is not one, has no picture or ends early is one issue naming the
// file, and none of its frames is imported: the catalogue keeps no half video.

export interface VideoRead {
  /** Relative to the dataset folder, for the report. */
  file: string
  abs: string
  fps?: number
  /** Known labels of a frame (DISFA's label files), by the video's own frame number (from 1). */
  labelsOf?: (frame: number) => Record<string, LabelEntry>
}

const issue = (file: string, reason: ImportIssue['reason'], detail: string): ImportIssue => ({
  kind: 'issue',
  file,
  reason,
  detail,
})

/** The video's description, or the issue that keeps it out. */
export async function videoSource(read: VideoRead): Promise<(VideoSource & { kind: 'video' }) | ImportIssue> {
  try {
    const probe = await probeVideo(read.abs)
    const small = fitInside(probe, THUMBNAIL_SIZE)
    const sha256 = await fileSha256(read.abs)
    return { kind: 'video', file: read.abs, sha256, ...probe, fps: read.fps ?? probe.fps, nativeFps: probe.fps, small }
  } catch (e) {
    if (e instanceof VideoFileError) return issue(read.file, e.problem, `${read.file}: ${e.message}; not imported`)
    throw e
  }
}

/** The seconds a video says it lasts: its duration, or its declared frames at its own rate when longer. */
const declaredSeconds = (probe: { duration: number; frames: number }, nativeFps: number): number =>
  Math.max(probe.duration, probe.frames / nativeFps)

/**
 * Every frame of a video as a record, as it is decoded (kept small: THUMBNAIL_SIZE). A video that
 * ends early (truncated, damaged) ends with an issue that takes back the frames already yielded
 * (`dropsVideo`), so that the catalogue never holds half a video; memory stays one frame deep.
 */
export async function* videoRecords(
  read: VideoRead,
  video: VideoSource,
  nativeFps: number,
): AsyncGenerator<ImportRecord | ImportIssue> {
  const said: { last?: string } = {}
  const drop = (reason: ImportIssue['reason'], detail: string): ImportIssue => ({
    ...issue(read.file, reason, `${read.file}: ${detail}; not imported`),
    dropsVideo: read.abs,
  })
  let frames = 0
  try {
    for await (const f of decodeFrames({ file: read.abs, size: video.small, nativeFps }, said)) {
      const frame = catalogueFrameOf(f.frame, video.fps, nativeFps)
      if (frame === undefined) continue
      frames++
      yield {
        kind: 'record',
        source: { file: read.file },
        image: { type: 'frame', video, frame, time: f.time, rgb: Buffer.from(f.rgb) },
        labels: read.labelsOf?.(f.frame) ?? {},
      }
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e
    return yield drop('unreadable video', `ffmpeg stopped after ${e.framesDecoded} frames (${e.message})`)
  }
  const expected = declaredSeconds(video, nativeFps)
  const decoded = frames / video.fps
  if (decoded + 2 / video.fps + 1 / nativeFps < expected)
    return yield drop(
      'truncated video',
      `decoded ${decoded.toFixed(2)} s (${frames} frames) of the ${expected.toFixed(2)} s it declares: truncated or damaged${said.last ? ` (ffmpeg: ${said.last})` : ''}`,
    )
  if (!frames) return yield drop('unreadable video', 'no frame could be decoded')
  video.frames = frames
}

/** A video's frames as records, or the one issue that keeps the video out. */
export async function* readVideo(read: VideoRead): AsyncGenerator<ImportRecord | ImportIssue> {
  const video = await videoSource(read)
  if (video.kind === 'issue') return yield video
  yield* videoRecords(read, video, video.nativeFps)
}
