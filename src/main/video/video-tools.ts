import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

// Which ffmpeg and ffprobe decode videos. The static builds shipped inside the npm packages
// @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe come first: every machine then cuts a
// video into the same frames, so frame numbers (and the labels on them) mean the same everywhere.
// AFFECT_FFMPEG / AFFECT_FFPROBE override them; Debian's /usr/bin binaries are the fallback where
// the packages have no build for the platform.

export interface VideoTools {
  ffmpeg: string
  ffprobe: string
}

// Not named `require`: the build gives every chunk that uses require a top-level `const require`
// shim, and a second top-level declaration in the same chunk is a SyntaxError when it loads.
const requireHere = createRequire(import.meta.url)

function packaged(name: string): string | undefined {
  try {
    const found = (requireHere(name) as { path?: unknown }).path
    return typeof found === 'string' && existsSync(found) ? found : undefined
  } catch {
    return undefined // no build for this platform: fall back below
  }
}

function pick(env: string, pkg: string, system: string): string {
  const chosen = process.env[env] || packaged(pkg) || (existsSync(system) ? system : undefined)
  if (!chosen)
    throw new Error(
      `No ${system.split('/').pop()} to decode videos: reinstall the workbench (npm install brings ${pkg}), install Debian's ffmpeg, or set ${env}.`,
    )
  return chosen
}

let tools: VideoTools | undefined

export function videoTools(): VideoTools {
  tools ??= {
    ffmpeg: pick('AFFECT_FFMPEG', '@ffmpeg-installer/ffmpeg', '/usr/bin/ffmpeg'),
    ffprobe: pick('AFFECT_FFPROBE', '@ffprobe-installer/ffprobe', '/usr/bin/ffprobe'),
  }
  return tools
}

export interface ToolRun {
  code: number | null
  stdout: Buffer
  stderr: string
}

/** Runs ffmpeg or ffprobe to the end, collecting its output (stderr kept to its last 4 kB, for messages). */
export function runTool(binary: string, args: string[]): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    let err = ''
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString('utf8')).slice(-4096)))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }))
  })
}

/** The last meaningful line ffmpeg wrote, for an error message. */
export const lastLine = (stderr: string): string =>
  stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? 'no message'
