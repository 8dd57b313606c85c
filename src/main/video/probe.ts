import { lastLine, runTool, videoTools } from './video-tools'

// What a video file is, from ffprobe: its first video stream's size, rate, codec, duration and
// frame count (as the container declares it, or estimated from the duration).

export interface VideoProbe {
  width: number
  height: number
  fps: number
  /** Frames at the video's own rate as the container declares them (estimated from the duration when it does not). */
  frames: number
  duration: number
  codec: string
}

export type VideoProblem = 'not a video' | 'no video stream' | 'truncated video' | 'unreadable video'

/** A video the workbench cannot take, and why in words a user can act on. */
export class VideoFileError extends Error {
  constructor(
    readonly problem: VideoProblem,
    message: string,
  ) {
    super(message)
    this.name = 'VideoFileError'
  }
}

interface ProbeJson {
  streams?: {
    codec_type?: string
    codec_name?: string
    width?: number
    height?: number
    r_frame_rate?: string
    avg_frame_rate?: string
    nb_frames?: string
    duration?: string
    disposition?: { attached_pic?: number }
  }[]
  format?: { duration?: string; format_name?: string }
}

/** "30000/1001" -> 29.97; 0 when it says nothing. */
export function rate(text: string | undefined): number {
  const [n, d] = (text ?? '').split('/').map(Number)
  const value = d ? n / d : n
  return Number.isFinite(value) && value > 0 ? value : 0
}

export async function probeVideo(file: string): Promise<VideoProbe> {
  const run = await runTool(videoTools().ffprobe, [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    file,
  ])
  if (run.code !== 0) throw new VideoFileError('not a video', `not a video ffmpeg can read (${lastLine(run.stderr)})`)
  const json = JSON.parse(run.stdout.toString('utf8')) as ProbeJson
  // A cover picture in an audio file is a "video" stream of one still: not a video.
  const stream = json.streams?.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)
  if (!stream?.width || !stream.height)
    throw new VideoFileError(
      'no video stream',
      `has no video stream (${json.format?.format_name ?? 'unknown'} with ${json.streams?.length ?? 0} other streams)`,
    )
  const fps = rate(stream.avg_frame_rate) || rate(stream.r_frame_rate)
  if (!fps) throw new VideoFileError('unreadable video', 'declares no frame rate; pass --fps N to choose one')
  const duration = Number(stream.duration ?? json.format?.duration ?? 0) || 0
  const declared = Number(stream.nb_frames)
  return {
    width: stream.width,
    height: stream.height,
    fps,
    frames: Number.isInteger(declared) && declared > 0 ? declared : Math.round(duration * fps),
    duration,
    codec: stream.codec_name ?? 'unknown',
  }
}
