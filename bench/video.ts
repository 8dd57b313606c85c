import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDataset } from '../src/main/import/import-dataset'
import { Workspace } from '../src/main/workspace/workspace'
import { makeVideo } from '../test/helpers/videos'
import { serveWorkspace } from './serve-process'

// Video speed targets (issue 13): importing a 60 s 720x576 video at 25 fps (1,500 frames, no face
// detection) in under 30 s; scrubbing the coding view's timeline shows each frame within 50 ms
// (median, headless Chromium against `affect serve`; needs the renderer build, `npm run build`).
// As a coder scrubs: the view opens the video (its proxy frames are then written by main in the
// background and fetched into the page: timed until the view says all are ready), then the Frame
// slider jumps over the whole video
// in a scrambled order, each jump timed from the slider's input to the frame's proxy painted, the
// next jump right after; every fifth jump the bench stops there, as a coder does, and times the
// full frame too (asked for once the frame has stayed put for the view's settle time).

export interface VideoBenchResult {
  frames: number
  importSeconds: number
  /** From opening the view to every proxy frame held by the page. */
  proxySeconds: number
  scrubs: number
  medianShownMs: number
  p95ShownMs: number
  stops: number
  medianFullFrameMs: number
  p95FullFrameMs: number
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)]

// In the page: moves the Frame slider to frame n and resolves with the ms until frame n's proxy is
// painted, and when asked until its full frame (its alt names the frame) is painted too. Kept as
// text: this file is typed for Node.
const SCRUB = `async (n, waitFull) => {
  const slider = document.querySelector('input[aria-label="Frame"]')
  const start = performance.now()
  slider.value = String(n)
  slider.dispatchEvent(new Event('input', { bubbles: true }))
  const frame = () => new Promise((r) => requestAnimationFrame(r))
  let shown = null
  for (;;) {
    await frame()
    const p = document.querySelector('.picture img.proxy')
    if (shown === null && p && p.dataset.frame === String(n)) {
      await p.decode() // decoded, then painted at the next frame
      await frame()
      shown = performance.now() - start
      if (!waitFull) return { shown }
    }
    const full = document.querySelector('.picture img.full[alt^="Frame ' + n + ' of"]')
    if (shown !== null && full && full.complete && full.naturalWidth && full.style.display !== 'none')
      return { shown, full: performance.now() - start }
    if (performance.now() - start > 20000) throw new Error('frame ' + n + ' not shown in 20 s')
  }
}`

interface Scrub {
  shown: number
  full?: number
}

async function scrub(workspace: string, dir: string, frameIds: number[], scrubs: number) {
  const { chromium } = await import('playwright-core')
  const server = await serveWorkspace(workspace, join(dir, 'config'))
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  })
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    const opened = Date.now()
    await page.goto(`${server.url}#/video`)
    await page.getByRole('slider', { name: 'Frame' }).waitFor({ timeout: 60_000 })
    const all = `Frames ready for scrubbing: ${frameIds.length} of ${frameIds.length}`
    await page.getByRole('status', { name: 'Frames for scrubbing' }).getByText(all).waitFor({ timeout: 600_000 })
    const proxySeconds = (Date.now() - opened) / 1000
    const times: Scrub[] = []
    // Spread over the whole video, in a scrambled order, as a coder dragging back and forth would.
    for (let i = 0; i < scrubs; i++) {
      const n = 1 + ((i * 617) % frameIds.length)
      times.push((await page.evaluate(`(${SCRUB})(${n}, ${i % 5 === 4})`)) as Scrub)
    }
    return { proxySeconds, times }
  } finally {
    await context.close()
    server.child.kill('SIGTERM')
  }
}

export async function runVideoBench(options: { scrubs?: number } = {}): Promise<VideoBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'affect-video-bench-'))
  try {
    const file = makeVideo(join(dir, 'videos', 'session.avi'), { seconds: 60, fps: 25, width: 720, height: 576 })
    const ws = Workspace.create(join(dir, 'ws'))
    const started = process.hrtime.bigint()
    const report = await importDataset(ws, { format: 'video', faces: 'whole', path: file, name: 'bench' })
    const importSeconds = Number(process.hrtime.bigint() - started) / 1e9
    const frameIds = ws.db.prepare('SELECT id FROM images ORDER BY frame').pluck().all() as number[]
    ws.close()
    if (report.imported !== 1500) throw new Error(`video bench imported ${report.imported} frames of 1500`)
    const { proxySeconds, times } = await scrub(join(dir, 'ws'), dir, frameIds, options.scrubs ?? 60)
    const shown = times.map((t) => t.shown)
    const full = times.flatMap((t) => (t.full === undefined ? [] : [t.full]))
    return {
      frames: report.imported,
      importSeconds,
      proxySeconds,
      scrubs: times.length,
      medianShownMs: quantile(shown, 0.5),
      p95ShownMs: quantile(shown, 0.95),
      stops: full.length,
      medianFullFrameMs: quantile(full, 0.5),
      p95FullFrameMs: quantile(full, 0.95),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export const videoBenchLines = (r: VideoBenchResult): string[] => [
  `Video import, 60 s 720x576 at 25 fps (${r.frames} frames, no face detection): ${r.importSeconds.toFixed(1)} s (target < 30 s)`,
  `Proxy frames for scrubbing, written and fetched in the background from opening the coding view: ${r.proxySeconds.toFixed(1)} s`,
  `Scrubbing the coding view in Chromium, ${r.scrubs} jumps: frame shown (proxy) median ${r.medianShownMs.toFixed(0)} ms (target < 50 ms), p95 ${r.p95ShownMs.toFixed(0)} ms`,
  `Full frame where the scrubbing stops (${r.stops} stops, ${SETTLE_NOTE}): median ${r.medianFullFrameMs.toFixed(0)} ms, p95 ${r.p95FullFrameMs.toFixed(0)} ms`,
]

const SETTLE_NOTE = 'asked 150 ms after the last move'
