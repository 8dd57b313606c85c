import { spawn } from 'node:child_process'
import { setPriority } from 'node:os'
import { lastLine, videoTools } from './video-tools'
import type { Size } from './frame-size'

// One pass of ffmpeg over a video, frames out as raw RGB at a chosen size: how an import reads a
// whole video (small, for thumbnails and training) and how the coding view gets full frames (a
// short run from a seek point). Every frame of the video comes out, numbered from 1 at its own
// rate; a catalogue at another rate picks its frames from them (frame-rate.ts), so that the import
// and a later seek agree on which picture frame n is.

export interface DecodedFrame {
  /** From 1, at the decoding rate. */
  frame: number
  /** Seconds from the start of the video. */
  time: number
  rgb: Buffer
}

export interface DecodeRequest {
  file: string
  size: Size
  /** The video's own rate, for frame times. */
  nativeFps: number
  /** Start at this frame (from 1). */
  from?: number
  /** Stop after this many frames. */
  count?: number
  /** Work nobody waits for (a proxy pass): ffmpeg runs at low priority, after a coder's frames. */
  background?: boolean
}

/** ffmpeg failed part-way: the frames before were decoded, `message` says what happened. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly framesDecoded: number,
  ) {
    super(message)
    this.name = 'DecodeError'
  }
}

function argsOf(r: DecodeRequest): string[] {
  const rate = r.nativeFps
  const from = r.from ?? 1
  // Half a frame early: ffmpeg drops the frames before the seek point, so frame `from` (at exactly
  // (from - 1) / rate, give or take the container's rounding) is the first one out.
  const seek = from > 1 ? ['-ss', ((from - 1.5) / rate).toFixed(6)] : []
  return [
    '-v',
    'error',
    '-nostdin',
    ...seek,
    '-i',
    r.file,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-vf',
    `scale=${r.size.width}:${r.size.height}:flags=bilinear`,
    '-vsync',
    'passthrough',
    ...(r.count ? ['-frames:v', String(r.count)] : []),
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]
}

function lowerPriority(pid: number): void {
  try {
    setPriority(pid, 15)
  } catch {
    // Not allowed here (or the process already ended): it then runs at the usual priority.
  }
}

/**
 * Decodes frames in order; ends with a DecodeError when ffmpeg fails, after the frames it did
 * decode. What ffmpeg said on the way (damaged packets it skipped) is left in `said.last`.
 */
export async function* decodeFrames(r: DecodeRequest, said: { last?: string } = {}): AsyncGenerator<DecodedFrame> {
  const rate = r.nativeFps
  const child = spawn(videoTools().ffmpeg, argsOf(r), { stdio: ['ignore', 'pipe', 'pipe'] })
  if (r.background && child.pid !== undefined) lowerPriority(child.pid)
  let stderr = ''
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-4096)))
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  const frameBytes = r.size.width * r.size.height * 3
  let pending: Buffer[] = []
  let pendingBytes = 0
  let frame = (r.from ?? 1) - 1
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes < frameBytes) continue
      const all = Buffer.concat(pending)
      let at = 0
      for (; at + frameBytes <= all.length; at += frameBytes) {
        frame++
        yield { frame, time: (frame - 1) / rate, rgb: all.subarray(at, at + frameBytes) }
      }
      pending = at < all.length ? [all.subarray(at)] : []
      pendingBytes = all.length - at
    }
    const code = await exited
    const decoded = frame - (r.from ?? 1) + 1
    if (stderr.trim()) said.last = lastLine(stderr)
    if (code !== 0) throw new DecodeError(lastLine(stderr), decoded)
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL') // the consumer stopped early
  }
}
