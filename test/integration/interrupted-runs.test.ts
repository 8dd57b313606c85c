import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createWorkbench } from '../../src/main/app/assemble'
import { Settings } from '../../src/main/app/settings'
import { FAKE_BACKENDS, testWorkbench } from '../helpers/workbench'

// A workbench that opens a workspace marks runs left "running" by a closed or crashed workbench as
// failed, but never a run that another process is training right now (an `affect train` in a
// terminal while the user runs `affect runs` or starts the server beside it).

let wb: ReturnType<typeof testWorkbench>
let wsPath: string
let runId: number

beforeEach(() => {
  wb = testWorkbench()
  wsPath = wb.ctx.requireWorkspace().path
  runId = Number(
    wb.ctx
      .requireWorkspace()
      .db.prepare(
        `INSERT INTO runs (name, method, network, config, datasets, status, snapshot_hash, snapshot_path, created_at)
         VALUES ('training elsewhere', 'sjmt', 'resnet-8', '{}', '[]', 'running', 'x', '', 0)`,
      )
      .run().lastInsertRowid,
  )
  wb.ctx.setWorkspace(null)
})
afterEach(() => wb.cleanup())

/** Writes the run's owner file as the launching workbench does, naming `pid`. */
function ownedBy(pid: number): void {
  const runDir = join(wsPath, 'runs', String(runId))
  mkdirSync(runDir, { recursive: true })
  writeFileSync(join(runDir, 'owner.json'), JSON.stringify({ pid, host: hostname(), startedAt: '' }))
}

/** Opens the workspace in a second workbench (as a CLI command does) and reads the run's status. */
function statusAfterOpening(): string {
  const other = createWorkbench({
    transport: 'cli',
    settings: new Settings(join(wb.dir, 'other-settings.json')),
    workspace: wsPath,
    probe: async () => FAKE_BACKENDS,
  })
  try {
    return other.ctx.requireWorkspace().db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId) as string
  } finally {
    other.close()
  }
}

it('leaves a run running when the process training it still runs', () => {
  const trainer = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
  try {
    ownedBy(trainer.pid!)
    expect(statusAfterOpening()).toBe('running')
  } finally {
    trainer.kill()
  }
})

it('marks the run failed when the process that trained it is gone', () => {
  const gone = spawnSync(process.execPath, ['-e', 'process.pid'])
  ownedBy(gone.pid!)
  expect(statusAfterOpening()).toBe('failed')
})

it('marks the run failed when no owner was recorded (a workspace of an earlier version)', () => {
  expect(statusAfterOpening()).toBe('failed')
})
