import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildSyntheticWorkspace } from './synthetic-workspace'
import { serveWorkspace } from './serve-process'

// First paint of the catalogue grid on a large catalogue, in Chromium against `affect serve`:
// from navigation start to the first frame that shows image tiles. Needs the renderer build
// (`npm run build`) and a Chromium (CHROMIUM_PATH, default /usr/bin/chromium).

export interface GridBenchResult {
  images: number
  buildSeconds: number
  /** Per page load, ms from navigation start to the first frame with tiles. */
  firstPaintMs: number[]
  medianFirstPaintMs: number
  /** ms from pressing End in the grid to the frame showing the last image. */
  scrollToEndMs: number
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// Runs in the page before its scripts: notes the first frame after a real tile (one with a path) exists.
const WATCH_FIRST_TILES = `(() => {
  const seen = () => document.querySelector('[role="listbox"][aria-label="Images"] [role="option"][aria-label*="/"]')
  const observer = new MutationObserver(() => {
    if (!seen()) return
    observer.disconnect()
    requestAnimationFrame(() => { window.__gridFirstPaint = performance.now() })
  })
  observer.observe(document, { childList: true, subtree: true })
})()`

/** Builds a synthetic catalogue of `images` rows and measures the grid's first paint `loads` times. */
export async function runGridBench(options: { images?: number; loads?: number } = {}): Promise<GridBenchResult> {
  const images = options.images ?? 100_000
  const dir = mkdtempSync(join(tmpdir(), 'affect-grid-bench-'))
  const t0 = Date.now()
  buildSyntheticWorkspace(join(dir, 'ws'), images)
  const buildSeconds = (Date.now() - t0) / 1000
  const { chromium } = await import('playwright-core')
  const server = await serveWorkspace(join(dir, 'ws'), join(dir, 'config'))
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  })
  try {
    await context.addInitScript(WATCH_FIRST_TILES)
    const page = context.pages()[0] ?? (await context.newPage())
    const firstPaintMs: number[] = []
    for (let i = 0; i < (options.loads ?? 5); i++) {
      await page.goto(`${server.url}#/catalogue`)
      // This file is typed for Node, without the DOM: the page is reached through globalThis.
      await page.waitForFunction(
        () => (globalThis as unknown as { __gridFirstPaint?: number }).__gridFirstPaint !== undefined,
        null,
        { timeout: 60_000 },
      )
      firstPaintMs.push((await page.evaluate('window.__gridFirstPaint')) as number)
    }
    const grid = page.getByRole('listbox', { name: 'Images' })
    await grid.focus()
    const last = `d${images % 10 < 5 ? 1 : images % 10 < 9 ? 2 : 3}/${String(images).padStart(7, '0')}.png`
    const start = (await page.evaluate('performance.now()')) as number
    await page.keyboard.press('End')
    type Page = { document: { querySelector(selector: string): unknown } }
    await page.waitForFunction(
      (path) =>
        (globalThis as unknown as Page).document.querySelector(`[role="option"][aria-label^="${path}"]`) !== null,
      last,
      { timeout: 60_000, polling: 'raf' },
    )
    const scrollToEndMs = ((await page.evaluate('performance.now()')) as number) - start
    return { images, buildSeconds, firstPaintMs, medianFirstPaintMs: median(firstPaintMs), scrollToEndMs }
  } finally {
    await context.close()
    await new Promise<void>((done) => {
      const force = setTimeout(() => server.child.kill('SIGKILL'), 5_000)
      server.child.once('exit', () => (clearTimeout(force), done()))
      server.child.kill('SIGTERM')
    })
    rmSync(dir, { recursive: true, force: true })
  }
}

// `npx tsx bench/grid.ts [images]`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const images = Number(process.argv[2] ?? 100_000)
  runGridBench({ images }).then(
    (r) => {
      console.log(
        `grid first paint at ${r.images.toLocaleString()} images: median ${r.medianFirstPaintMs.toFixed(0)} ms over ${r.firstPaintMs.length} loads (${r.firstPaintMs.map((x) => x.toFixed(0)).join(', ')}); catalogue built in ${r.buildSeconds.toFixed(1)} s; End key to last image shown: ${r.scrollToEndMs.toFixed(0)} ms`,
      )
    },
    (e: Error) => {
      console.error(e)
      process.exit(1)
    },
  )
}
