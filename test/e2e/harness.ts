import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { tempDir } from '../helpers/workbench'

const root = join(import.meta.dirname, '..', '..')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface ServeProcess { url: string; port: number; token: string; child: ChildProcess; configDir: string; stop(): Promise<void> }

/** Runs `affect serve` as a user would and waits for the URL it prints. */
export function startServe(args: string[] = [], env: Record<string, string> = {}): Promise<ServeProcess> {
  const configDir = env.AFFECT_CONFIG_DIR ?? tempDir('affect-config-')
  const child = spawn(process.execPath, [join(root, 'bin', 'affect.mjs'), 'serve', '--port', '0', ...args], {
    cwd: root,
    env: { ...process.env, AFFECT_CONFIG_DIR: configDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`affect serve printed no URL in 60 s:\n${output}`)), 60_000)
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString()
      const m = /Open: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/.exec(output)
      if (!m) return
      clearTimeout(timer)
      resolve({
        url: m[1], port: Number(m[2]), token: m[3], child, configDir,
        stop: () => new Promise<void>((done) => {
          if (child.exitCode !== null) return done()
          child.once('exit', () => done())
          child.kill('SIGTERM')
        }),
      })
    })
    child.once('exit', (code) => reject(new Error(`affect serve exited with ${code}:\n${output}`)))
  })
}

export interface Browser { context: BrowserContext; page: Page; close(): Promise<void> }

/** Debian's Chromium, headless, with a fresh profile (Playwright cannot download browsers here). */
export async function openBrowser(): Promise<Browser> {
  const context = await chromium.launchPersistentContext(tempDir('affect-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return { context, page, close: () => context.close() }
}
