import { createServer, type Server } from 'node:net'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { isServed, serve, stopServed, type Refused, type Served } from '../helpers/serve-process'
import { tempDir } from '../helpers/workbench'

// `affect serve` as a process, as users run it: a call that used to hang it, a second server on
// the same workspace, and start-up failures, each said in one line without a stack trace.

const running: Served[] = []
afterEach(async () => {
  for (const s of running.splice(0)) await stopServed(s, 'SIGKILL')
})

async function started(args: string[]): Promise<Served> {
  const result = await serve(args)
  if (!isServed(result)) throw new Error(`affect serve did not start: ${result.stderr}${result.stdout}`)
  running.push(result)
  return result
}

async function refused(args: string[]): Promise<Refused> {
  const result = await serve(args)
  if (isServed(result)) {
    running.push(result)
    throw new Error('affect serve started where it should have refused')
  }
  return result
}

function post(
  served: Served,
  method: string,
  args: unknown,
  timeoutMs = 10_000,
): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string } } }> {
  return fetch(`http://127.0.0.1:${served.port}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${served.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
    signal: AbortSignal.timeout(timeoutMs),
  }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as { ok: boolean; error?: { code: string; message: string } },
  }))
}

/** What a user reads: one line, `affect: ...`, and no stack trace. */
function expectOneLine(result: Refused, pattern: RegExp): void {
  expect(result.code).toBe(1)
  expect(result.stdout).toBe('')
  expect(result.stderr.trim().split('\n')).toHaveLength(1)
  expect(result.stderr.trim()).toMatch(pattern)
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+|SqliteError/)
}

describe('affect serve keeps answering', () => {
  it('refuses a workspace under /proc at once (it used to loop forever) and answers the next call', async () => {
    const served = await started(['--workspace', join(tempDir(), 'ws')])
    const proc = await post(served, 'workspace.create', { path: '/proc/x' })
    expect(proc.status).toBe(400)
    expect(proc.body.error).toMatchObject({
      code: 'invalid_arguments',
      message:
        '/proc/x cannot hold a workspace: /proc is a system folder, not a folder on a disk. Choose a folder in your home or on a data disk.',
    })
    expect((await post(served, 'workspace.open', { path: '/sys/kernel' })).body.error?.message).toMatch(
      /\/sys is a system folder/,
    )
    expect((await post(served, 'demo.create', { path: '/dev/shm/demo', size: 'small' })).body.error?.message).toMatch(
      /\/dev is a system folder/,
    )
    expect((await post(served, 'datasets.list', {})).status).toBe(200)
  })
})

describe('one server per workspace', () => {
  it("refuses a second server naming the first one's port and pid, and takes over once that one is killed", async () => {
    const workspace = join(tempDir(), 'ws')
    const first = await started(['--workspace', workspace])
    const second = await refused(['--workspace', workspace])
    expectOneLine(
      second,
      new RegExp(
        `^affect: ${workspace} is already open in another workbench: affect serve on port ${first.port}, pid ${first.pid}\\. Use that one`,
      ),
    )
    // A CLI command beside the server is not refused.
    expect((await post(first, 'datasets.list', {})).status).toBe(200)
    await stopServed(first, 'SIGKILL')
    const third = await started(['--workspace', workspace])
    expect((await post(third, 'datasets.list', {})).status).toBe(200)
  })
})

describe('start-up failures in one line', () => {
  let blocker: Server | null = null
  afterAll(() => blocker?.close())

  it('a port in use', async () => {
    blocker = createServer()
    await new Promise<void>((ok) => blocker!.listen(0, '127.0.0.1', () => ok()))
    const port = (blocker.address() as { port: number }).port
    expectOneLine(
      await refused(['--port', String(port), '--workspace', join(tempDir(), 'ws')]),
      new RegExp(`^affect: Port ${port} on 127\\.0\\.0\\.1 is already in use by another program`),
    )
  })

  it('a full disk', async () => {
    // /dev/full answers every write with ENOSPC: a catalogue on it is a catalogue on a full disk.
    const workspace = join(tempDir(), 'ws')
    mkdirSync(workspace)
    writeFileSync(join(workspace, 'workspace.json'), JSON.stringify({ kind: 'affect-workbench-workspace', version: 1 }))
    symlinkSync('/dev/full', join(workspace, 'catalogue.sqlite'))
    expectOneLine(
      await refused(['--workspace', workspace]),
      new RegExp(
        `^affect: The disk is full: SQLite could not write the catalogue of ${workspace}\\. Free some space, then start again\\.$`,
      ),
    )
  })

  it('a workspace folder that cannot be made', async () => {
    const file = join(tempDir(), 'notes.txt')
    writeFileSync(file, 'a file where a folder should go')
    expectOneLine(
      await refused(['--workspace', join(file, 'ws')]),
      new RegExp(`^affect: ${file}/ws cannot hold a workspace: ${file} is a file, not a folder\\.`),
    )
  })
})
