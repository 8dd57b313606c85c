import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, utimesSync } from 'node:fs'
import { mkdirSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { decodeFrames } from './decode-frames'
import { fitInside } from './frame-size'
import { catalogueFrameOf } from './frame-rate'
import { trimProxies } from './proxy-budget'
import type { FrameVideo } from './full-frames'

// Proxy frames, as video editors scrub: every frame of a video small (PROXY_SIZE) as JPEG in one
// file, written by ONE ffmpeg pass the first time the coding view asks for one of its frames, in
// the background. A frame is then one read from that file, so scrubbing shows it at once while
// the full frame (decoded on demand) follows. Frames already written are served while the pass
// goes on; the rest fall back to the thumbnail. Proxies are a cache within a byte budget
// (proxy-budget.ts): a 10-minute 30 fps video takes about 300 MB, never 18,000 full-size PNGs.

/** Longer side of a proxy frame: enough to see a face while scrubbing, small enough to read at once. */
export const PROXY_SIZE = 384

interface Index {
  frames: number
  /** Where frame n (from 1) ends in the frames file; it starts where frame n - 1 ends. */
  ends: number[]
}

interface Build {
  partial: string
  ends: number[]
  failed?: string
}

const builds = new Map<string, Build>()
const ready = new Map<string, Index>()

const nameOf = (video: FrameVideo) => `${video.sha256}-${video.fps}fps-${PROXY_SIZE}`
const framesFile = (dir: string, name: string) => join(dir, `${name}.frames`)
const indexFile = (dir: string, name: string) => join(dir, `${name}.index.json`)

function readRange(file: string, start: number, end: number): Buffer {
  const fd = openSync(file, 'r')
  try {
    const out = Buffer.alloc(end - start)
    readSync(fd, out, 0, out.length, start)
    return out
  } finally {
    closeSync(fd)
  }
}

function frameIn(file: string, ends: number[], frame: number): Buffer | undefined {
  if (frame < 1 || frame > ends.length) return undefined
  try {
    return readRange(file, ends[frame - 2] ?? 0, ends[frame - 1])
  } catch (e) {
    // Removed by the budget a moment ago: the thumbnail stands in, and the proxy is written again.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
}

function finishedIndex(dir: string, name: string): Index | undefined {
  const known = ready.get(`${dir}\0${name}`)
  if (known && existsSync(indexFile(dir, name))) return known
  try {
    const index = JSON.parse(readFileSync(indexFile(dir, name), 'utf8')) as Index
    // Touched when first read by this process: the budget lets the proxies used least recently go first.
    const now = new Date()
    utimesSync(indexFile(dir, name), now, now)
    ready.set(`${dir}\0${name}`, index)
    return index
  } catch {
    ready.delete(`${dir}\0${name}`)
    return undefined
  }
}

/**
 * The proxy JPEG of catalogue frame `frame`, or undefined while it is not written yet (its pass is
 * then started, one video at a time) or when the video cannot be decoded.
 */
export function proxyFrame(dir: string, video: FrameVideo, frame: number): Buffer | undefined {
  const name = nameOf(video)
  const index = finishedIndex(dir, name)
  if (index) return frameIn(framesFile(dir, name), index.ends, frame)
  const build = builds.get(`${dir}\0${name}`)
  if (build) return build.failed ? undefined : frameIn(build.partial, build.ends, frame)
  if (![...builds.values()].some((b) => !b.failed)) void buildProxy(dir, video)
  return undefined
}

/** Writes a video's proxy in one ffmpeg pass; resolves when it is complete (or has failed, with the reason kept). */
export async function buildProxy(dir: string, video: FrameVideo): Promise<void> {
  const name = nameOf(video)
  const key = `${dir}\0${name}`
  if (builds.has(key)) return
  mkdirSync(dir, { recursive: true })
  const build: Build = { partial: join(dir, `${name}.${process.pid}.partial`), ends: [] }
  builds.set(key, build)
  try {
    const fd = openSync(build.partial, 'w')
    try {
      await writeFrames(fd, video, build.ends)
    } finally {
      closeSync(fd)
    }
    renameSync(build.partial, framesFile(dir, name))
    // The index last: its presence says the frames file is whole.
    writeFileSync(indexFile(dir, name), JSON.stringify({ frames: build.ends.length, ends: build.ends }))
    builds.delete(key)
    trimProxies(dir, [name])
  } catch (e) {
    build.failed = (e as Error).message
    rmSync(build.partial, { force: true })
  }
}

async function writeFrames(fd: number, video: FrameVideo, ends: number[]): Promise<void> {
  const size = fitInside(video, PROXY_SIZE)
  let at = 0
  for await (const native of decodeFrames({ file: video.file, size, nativeFps: video.native_fps, background: true })) {
    if (catalogueFrameOf(native.frame, video.fps, video.native_fps) === undefined) continue
    const jpeg = await sharp(native.rgb, { raw: { ...size, channels: 3 } })
      .jpeg({ quality: 75 })
      .toBuffer()
    writeSync(fd, jpeg, 0, jpeg.length, at)
    at += jpeg.length
    ends.push(at) // pushed after the write: a reader never sees a frame before its bytes
  }
}
