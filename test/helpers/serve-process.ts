import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './workbench'

const root = join(import.meta.dirname, '..', '..')

export interface Served {
  port: number
  token: string
  pid: number
  child: ChildProcess
  output(): string
  exit(): Promise<number | null>
}
export interface Refused {
  code: number | null
  stdout: string
  stderr: string
}

/** A renderer build with only an index page: enough for `affect serve` outside the e2e tests. */
export function tinyRenderer(): string {
  const dir = join(tempDir('affect-renderer-'), 'renderer')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Affect Workbench</title>')
  return dir
}

/**
 * Runs `affect serve` as a user would; resolves when it prints its URL (Served) or when it exits
 * first (Refused, with what it printed).
 */
export function serve(args: string[], env: Record<string, string> = {}): Promise<Served | Refused> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'affect.mjs'), 'serve', '--renderer', tinyRenderer(), ...args],
    {
      cwd: root,
      env: { ...process.env, AFFECT_CONFIG_DIR: tempDir('affect-config-'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  return new Promise((resolve) => {
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString()
      const m = /Open: http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/.exec(stdout)
      if (m)
        resolve({
          port: Number(m[1]),
          token: m[2],
          pid: child.pid!,
          child,
          output: () => stdout + stderr,
          exit: () => exited,
        })
    })
    void exited.then((code) => resolve({ code, stdout, stderr }))
  })
}

export const isServed = (x: Served | Refused): x is Served => 'port' in x

/** Ends a served process with `signal` and waits until it is gone. */
export async function stopServed(served: Served, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (served.child.exitCode !== null || served.child.signalCode !== null) return
  served.child.kill(signal)
  await served.exit()
}
