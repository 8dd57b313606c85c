import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { isProcessAlive } from '../workspace/server-lock'

// Which process is training a run. A run is trained by the workbench that launched its trainer
// (the app, `affect serve`, or an `affect train` in a terminal) and that process records what the
// trainer reports. Any other workbench opening the workspace meanwhile (a CLI command beside it)
// must not take the run for one left behind by a crash, so the launcher leaves its pid here.

const OWNER_FILE = 'owner.json'

interface RunOwner {
  pid: number
  host: string
  startedAt: string
}

/** Records this process as the one training (or predicting with) the run in `runDir`. */
export function writeRunOwner(runDir: string): void {
  mkdirSync(runDir, { recursive: true })
  const owner: RunOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }
  writeFileSync(join(runDir, OWNER_FILE), JSON.stringify(owner))
}

function readRunOwner(runDir: string): RunOwner | null {
  try {
    const raw = JSON.parse(readFileSync(join(runDir, OWNER_FILE), 'utf8')) as Partial<RunOwner>
    return typeof raw.pid === 'number' && typeof raw.host === 'string' ? (raw as RunOwner) : null
  } catch {
    // No file (a run of an earlier version, or one never launched) or an unreadable one: no owner known.
    return null
  }
}

/** True when another process that still runs launched the run's trainer (this process knows its own trainers). */
export function trainedByAnotherProcess(runDir: string): boolean {
  const owner = readRunOwner(runDir)
  if (!owner || (owner.pid === process.pid && owner.host === hostname())) return false
  return isProcessAlive(owner)
}
