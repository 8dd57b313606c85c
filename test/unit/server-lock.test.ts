import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkbenchError } from '../../src/shared/errors'
import { Settings } from '../../src/main/app/settings'
import { createWorkbench } from '../../src/main/app/assemble'
import { LOCK_FILE, type LockHolder } from '../../src/main/workspace/server-lock'
import { Workspace } from '../../src/main/workspace/workspace'
import { FAKE_BACKENDS, tempDir } from '../helpers/workbench'

// One server per workspace: a lock file naming the server's pid and port; a stale one (its process
// gone, or carried along by a copy of the workspace) is taken over; CLI commands take none.

let dir: string
let other: ChildProcess
beforeAll(() => {
  dir = tempDir()
  // A live process that is not this one, to stand for another server.
  other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' })
})
afterAll(() => {
  other.kill()
  rmSync(dir, { recursive: true, force: true })
})

const newWorkspace = (name: string): string => {
  const path = join(dir, name)
  Workspace.create(path).close()
  return path
}

function writeLock(path: string, holder: Partial<LockHolder>): void {
  const full: LockHolder = {
    kind: 'headless',
    port: 4173,
    pid: other.pid!,
    host: hostname(),
    workspace: path,
    startedAt: new Date().toISOString(),
    ...holder,
  }
  writeFileSync(join(path, LOCK_FILE), JSON.stringify(full))
}

const headless = { server: { kind: 'headless' as const, port: null } }

describe('server lock', () => {
  it('a server writes its pid in the workspace and removes it when it closes', () => {
    const path = newWorkspace('a')
    const ws = Workspace.open(path, headless)
    ws.lock!.setPort(5000)
    expect(JSON.parse(readFileSync(join(path, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      port: 5000,
      kind: 'headless',
      workspace: path,
    })
    ws.close()
    expect(existsSync(join(path, LOCK_FILE))).toBe(false)
  })

  it("a second server is refused with the first one's port and pid", () => {
    const path = newWorkspace('b')
    writeLock(path, {})
    let error: unknown
    try {
      Workspace.open(path, headless)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(WorkbenchError)
    expect((error as WorkbenchError).code).toBe('conflict')
    expect((error as WorkbenchError).message).toBe(
      `${path} is already open in another workbench: affect serve on port 4173, pid ${other.pid}. Use that one (open http://127.0.0.1:4173/ with the token it printed), or stop it first.`,
    )
    writeLock(path, { kind: 'electron', port: null })
    expect(() => Workspace.open(path, { server: { kind: 'electron', port: null } })).toThrow(
      `is already open in another workbench: the desktop app, pid ${other.pid}.`,
    )
  })

  it('takes over a lock whose process is gone, or that came with a copy of the workspace', () => {
    const path = newWorkspace('c')
    writeLock(path, { pid: 2 ** 22 + 12345 })
    const ws = Workspace.open(path, headless)
    expect(JSON.parse(readFileSync(join(path, LOCK_FILE), 'utf8')).pid).toBe(process.pid)
    ws.close()
    const copied = join(dir, 'c-copy')
    writeLock(path, {})
    cpSync(path, copied, { recursive: true })
    const copy = Workspace.open(copied, headless)
    expect(JSON.parse(readFileSync(join(copied, LOCK_FILE), 'utf8')).pid).toBe(process.pid)
    copy.close()
  })

  it('CLI commands take no lock and open a workspace a server holds', () => {
    const path = newWorkspace('d')
    writeLock(path, {})
    const ws = Workspace.open(path)
    expect(ws.lock).toBeNull()
    ws.close()
    expect(JSON.parse(readFileSync(join(path, LOCK_FILE), 'utf8')).pid).toBe(other.pid)
  })

  it('a CLI command does not mark the runs a live server is training as interrupted', () => {
    const path = newWorkspace('e')
    const seed = Workspace.open(path)
    seed.db
      .prepare(
        "INSERT INTO runs (name, method, network, config, datasets, status, snapshot_hash, snapshot_path, created_at) VALUES ('r', 'sjmt', 'resnet20', '{}', '[]', 'running', 'h', '', 0)",
      )
      .run()
    seed.close()
    writeLock(path, {})
    const settings = new Settings(join(dir, 'settings.json'))
    const cli = createWorkbench({ transport: 'cli', settings, workspace: path, probe: async () => FAKE_BACKENDS })
    expect(cli.ctx.requireWorkspace().db.prepare('SELECT status FROM runs').get()).toEqual({ status: 'running' })
    cli.close()
    rmSync(join(path, LOCK_FILE))
    const after = createWorkbench({ transport: 'cli', settings, workspace: path, probe: async () => FAKE_BACKENDS })
    expect(after.ctx.requireWorkspace().db.prepare('SELECT status FROM runs').get()).toEqual({ status: 'failed' })
    after.close()
  })

  it('the same server reopening its workspace keeps the lock until the last one closes', () => {
    const path = newWorkspace('f')
    const first = Workspace.open(path, headless)
    const again = Workspace.open(path, headless)
    first.close()
    expect(existsSync(join(path, LOCK_FILE))).toBe(true)
    again.close()
    expect(existsSync(join(path, LOCK_FILE))).toBe(false)
  })
})
