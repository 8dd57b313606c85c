import sharp from 'sharp'
import { WorkbenchError } from '../../shared/errors'
import { DecodeError, decodeFrames } from './decode-frames'
import { FrameCache } from './frame-cache'
import { fitInside } from './frame-size'
import { catalogueFrameOf, nativeFrameOf } from './frame-rate'
import type { VideoRow } from './video-rows'

// A video frame at full size, decoded on demand from the video: one ffmpeg run from a seek point
// decodes the asked frame and the next few (the coding view steps and plays forward), as JPEG, into
// a memory cache with a byte budget. Nothing is written to disk.

/** Frames decoded per seek: what playing forward asks next, for about the cost of one. */
export const DECODE_AHEAD = 12
/** At most this many of the video's own frames are decoded per seek (a catalogue at 1 fps of a 25 fps video). */
const NATIVE_SPAN = 48
/** Frames larger than this (4K video) are shown fitted in it: a coder's screen shows no more. */
const LARGEST_SIDE = 1280
const cache = new FrameCache(96 * 1024 * 1024)
const inFlight = new Map<string, Promise<void>>()

export type FrameVideo = Pick<VideoRow, 'id' | 'sha256' | 'width' | 'height' | 'fps' | 'native_fps' | 'frames'> & {
  file: string
}

const keyOf = (video: FrameVideo, frame: number) => `${video.file}\0${video.fps}\0${frame}`

/** How many catalogue frames one seek decodes from `from`. */
export function aheadOf(video: Pick<FrameVideo, 'fps' | 'native_fps' | 'frames'>, from: number): number {
  const perFrame = Math.max(1, video.native_fps / video.fps)
  return Math.max(1, Math.min(DECODE_AHEAD, Math.floor(NATIVE_SPAN / perFrame), video.frames - from + 1))
}

/**
 * Decodes catalogue frames `from`... into the cache; `first` resolves as soon as frame `from` is
 * there (a coder scrubbing waits for one frame, not for the run), `done` when the run ends.
 */
function decodeRun(video: FrameVideo, from: number): { first: Promise<void>; done: Promise<void> } {
  let shown!: () => void
  const first = new Promise<void>((resolve) => (shown = resolve))
  const done = (async () => {
    const size = fitInside(video, LARGEST_SIDE)
    const ahead = aheadOf(video, from)
    const start = nativeFrameOf(from, video.fps, video.native_fps)
    const last = nativeFrameOf(from + ahead - 1, video.fps, video.native_fps)
    const frames = decodeFrames({
      file: video.file,
      size,
      nativeFps: video.native_fps,
      from: start,
      count: last - start + 1,
    })
    for await (const native of frames) {
      const frame = catalogueFrameOf(native.frame, video.fps, video.native_fps)
      if (frame === undefined) continue
      const jpeg = await sharp(native.rgb, { raw: { ...size, channels: 3 } })
        .jpeg({ quality: 85 })
        .toBuffer()
      cache.set(keyOf(video, frame), jpeg)
      if (frame === from) shown()
    }
  })().finally(() => shown())
  return { first, done }
}

/** The JPEG of frame `frame` (from 1) of a video. */
export async function fullFrame(video: FrameVideo, frame: number): Promise<Buffer> {
  const key = keyOf(video, frame)
  const cached = cache.get(key)
  if (cached) return cached
  let wait = inFlight.get(key)
  if (!wait) {
    const ahead = aheadOf(video, frame)
    const run = decodeRun(video, frame)
    const settled = run.done.catch(() => undefined)
    for (let f = frame; f < frame + ahead; f++) {
      const k = keyOf(video, f)
      // A later frame of the run is awaited until the run ends; it is in the cache by then.
      inFlight.set(k, f === frame ? Promise.race([run.first, run.done]) : run.done)
      void settled.then(() => inFlight.get(k) && inFlight.delete(k))
    }
    wait = inFlight.get(key)!
  }
  try {
    await wait
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e
    throw new WorkbenchError('not_found', `Frame ${frame} of ${video.file} cannot be decoded: ${e.message}.`, {
      frame,
      file: video.file,
    })
  }
  // Not decoded by the run (or already pushed out by the budget): decoded alone.
  return cache.get(key) ?? (await decodeRun(video, frame).done, cache.get(key)) ?? missing(video, frame)
}

function missing(video: FrameVideo, frame: number): never {
  throw new WorkbenchError('not_found', `Frame ${frame} of ${video.file} is past the end of the video.`, {
    frame,
    file: video.file,
  })
}
