import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import type { MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import type { CallResult } from '../../src/shared/errors'
import { tempDir } from '../helpers/workbench'

const root = join(import.meta.dirname, '..', '..')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface ServeProcess {
  url: string
  port: number
  token: string
  child: ChildProcess
  configDir: string
  stop(): Promise<void>
}

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
        url: m[1],
        port: Number(m[2]),
        token: m[3],
        child,
        configDir,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    })
    child.once('exit', (code) => reject(new Error(`affect serve exited with ${code}:\n${output}`)))
  })
}

export interface Browser {
  context: BrowserContext
  page: Page
  close(): Promise<void>
}

/** Debian's Chromium, headless, with a fresh profile (Playwright cannot download browsers here). */
export async function openBrowser(): Promise<Browser> {
  const context = await chromium.launchPersistentContext(tempDir('affect-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return { context, page, close: () => context.close() }
}

/** Calls a contract method on a running `affect serve`, as the page does; throws main's error message. */
export async function callApi<M extends MethodName>(
  serve: ServeProcess,
  method: M,
  args: MethodArgs<M>,
): Promise<MethodResult<M>> {
  const response = await fetch(`http://127.0.0.1:${serve.port}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${serve.token}` },
    body: JSON.stringify(args),
  })
  const result = (await response.json()) as CallResult<MethodResult<M>>
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`)
  return result.value
}

/** A small demo workspace made by the CLI, as a user would (`affect demo --size small`). */
export function createDemoWorkspace(dir: string): string {
  execFileSync(process.execPath, [join(root, 'bin', 'affect.mjs'), 'demo', '--workspace', dir, '--size', 'small'], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, AFFECT_CONFIG_DIR: tempDir('affect-config-') },
  })
  return dir
}

/** Ends `affect serve` with SIGKILL (no shutdown code runs) and waits for it to be gone. */
export function killServe(serve: ServeProcess): Promise<void> {
  return new Promise((done) => {
    if (serve.child.exitCode !== null || serve.child.signalCode !== null) return done()
    serve.child.once('exit', () => done())
    serve.child.kill('SIGKILL')
  })
}
