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

export type FrameVideo = Pick<VideoRow, 'id' | 'width' | 'height' | 'fps' | 'native_fps' | 'frames'> & { file: string }

const keyOf = (video: FrameVideo, frame: number) => `${video.file}\0${video.fps}\0${frame}`

/** How many catalogue frames one seek decodes from `from`. */
export function aheadOf(video: Pick<FrameVideo, 'fps' | 'native_fps' | 'frames'>, from: number): number {
  const perFrame = Math.max(1, video.native_fps / video.fps)
  return Math.max(1, Math.min(DECODE_AHEAD, Math.floor(NATIVE_SPAN / perFrame), video.frames - from + 1))
}

async function decodeRun(video: FrameVideo, from: number): Promise<void> {
  const size = fitInside(video, LARGEST_SIDE)
  const ahead = aheadOf(video, from)
  const first = nativeFrameOf(from, video.fps, video.native_fps)
  const last = nativeFrameOf(from + ahead - 1, video.fps, video.native_fps)
  const frames = decodeFrames({
    file: video.file,
    size,
    nativeFps: video.native_fps,
    from: first,
    count: last - first + 1,
  })
  for await (const native of frames) {
    const frame = catalogueFrameOf(native.frame, video.fps, video.native_fps)
    if (frame === undefined) continue
    const f = { frame, rgb: native.rgb }
    const jpeg = await sharp(f.rgb, { raw: { ...size, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer()
    cache.set(keyOf(video, f.frame), jpeg)
  }
}

/** The JPEG of frame `frame` (from 1) of a video. */
export async function fullFrame(video: FrameVideo, frame: number): Promise<Buffer> {
  const key = keyOf(video, frame)
  const cached = cache.get(key)
  if (cached) return cached
  let run = inFlight.get(key)
  if (!run) {
    const ahead = aheadOf(video, frame)
    run = decodeRun(video, frame).finally(() => {
      for (let f = frame; f < frame + ahead; f++) inFlight.delete(keyOf(video, f))
    })
    for (let f = frame; f < frame + ahead; f++) inFlight.set(keyOf(video, f), run)
  }
  try {
    await run
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e
    throw new WorkbenchError('not_found', `Frame ${frame} of ${video.file} cannot be decoded: ${e.message}.`, {
      frame,
      file: video.file,
    })
  }
  // A run that decoded frames but not this one (or whose frames the budget already pushed out): decode it alone.
  return cache.get(key) ?? (await decodeRun(video, frame), cache.get(key)) ?? missing(video, frame)
}

function missing(video: FrameVideo, frame: number): never {
  throw new WorkbenchError('not_found', `Frame ${frame} of ${video.file} is past the end of the video.`, {
    frame,
    file: video.file,
  })
}
