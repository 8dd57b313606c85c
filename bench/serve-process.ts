import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')

export interface BenchServer {
  child: ChildProcess
  /** The URL `affect serve` printed, token included. */
  url: string
  port: number
  token: string
}

/**
 * `affect serve` on a workspace as a user starts it, for the benchmarks that measure through the
 * headless server; resolves once it prints its URL, rejects with what it printed if it exits first.
 */
export function serveWorkspace(workspace: string, configDir: string, extraArgs: string[] = []): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'affect.mjs'), 'serve', '--port', '0', '--workspace', workspace, ...extraArgs],
    {
      cwd: root,
      env: { ...process.env, AFFECT_CONFIG_DIR: configDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString()
      const m = /Open: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/.exec(output)
      if (m) resolve({ child, url: m[1], port: Number(m[2]), token: m[3] })
    })
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
    child.once('exit', (code) => reject(new Error(`affect serve exited with ${code}:\n${output}`)))
  })
}
