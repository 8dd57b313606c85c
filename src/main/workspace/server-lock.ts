import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { WorkbenchError } from '../../shared/errors'

// One server per workspace. Two (two `affect serve`, or the app and a server) would each think
// they own the runs, mark the other's training as interrupted, and fight over writes. The first
// one writes <workspace>/server.lock naming its pid and port; a second one is refused with both.
// A lock whose process is gone (killed, crashed) is stale and taken over. CLI commands take no
// lock: they are short and share the catalogue through SQLite's own locking.

export const LOCK_FILE = 'server.lock'

/** What kind of server holds a workspace, and on which port once it listens. */
export interface ServerIdentity {
  kind: 'headless' | 'electron'
  port: number | null
}

export interface LockHolder extends ServerIdentity {
  pid: number
  host: string
  /** The workspace folder the lock was written for: a copied workspace carries a lock that is not its own. */
  workspace: string
  startedAt: string
}

/** Locks this process holds, by lock file: opening the same workspace again in the same process shares its lock. */
const held = new Map<string, { count: number; holder: LockHolder }>()

/** Whether the process `pid` on `host` still runs. */
export function isProcessAlive(holder: { pid: number; host: string }): boolean {
  // Another machine's process (a workspace on a shared disk) cannot be checked: assume it runs.
  if (holder.host !== hostname()) return true
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>
    return typeof raw.pid === 'number' && typeof raw.host === 'string' && typeof raw.workspace === 'string'
      ? (raw as LockHolder)
      : null
  } catch {
    return null
  }
}

/** The server that holds the workspace `dir` now, if its process still runs (possibly this one). */
export function liveHolder(dir: string): LockHolder | null {
  const holder = readHolder(join(dir, LOCK_FILE))
  return holder && holder.workspace === realpathSync(dir) && isProcessAlive(holder) ? holder : null
}

export function describeHolder(holder: LockHolder): string {
  const who =
    holder.kind === 'electron'
      ? 'the desktop app'
      : holder.port
        ? `affect serve on port ${holder.port}`
        : 'affect serve (starting)'
  return `${who}, pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}`
}

/** Writes `holder` to `file` only if there is no lock file yet (atomic: a complete file or none). */
function createLockFile(file: string, holder: LockHolder): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(tmp, JSON.stringify(holder, null, 2))
  try {
    linkSync(tmp, file)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw e
  } finally {
    unlinkSync(tmp)
  }
}

function removeIfThere(file: string): void {
  try {
    unlinkSync(file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
}

function refusal(dir: string, holder: LockHolder): WorkbenchError {
  const elsewhere = holder.host === hostname() ? '' : ` If it no longer runs, delete ${join(dir, LOCK_FILE)}.`
  const where = holder.port ? ` (open http://127.0.0.1:${holder.port}/ with the token it printed)` : ''
  return new WorkbenchError(
    'conflict',
    `${dir} is already open in another workbench: ${describeHolder(holder)}. Use that one${where}, or stop it first.${elsewhere}`,
    {
      path: dir,
      pid: holder.pid,
      port: holder.port,
      kind: holder.kind,
    },
  )
}

/** A server's hold on one workspace folder. */
export class ServerLock {
  private released = false

  private constructor(readonly file: string) {}

  /** Takes the workspace for this server, or refuses naming the server that has it. */
  static acquire(dir: string, identity: ServerIdentity): ServerLock {
    const file = join(dir, LOCK_FILE)
    const mine = held.get(file)
    if (mine) {
      mine.count++
      return new ServerLock(file)
    }
    const holder: LockHolder = {
      ...identity,
      pid: process.pid,
      host: hostname(),
      workspace: realpathSync(dir),
      startedAt: new Date().toISOString(),
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      if (createLockFile(file, holder)) {
        held.set(file, { count: 1, holder })
        return new ServerLock(file)
      }
      const other = readHolder(file)
      const stale =
        !other || other.workspace !== holder.workspace || other.pid === process.pid || !isProcessAlive(other)
      if (!stale) throw refusal(dir, other)
      // Gone (killed, crashed) or carried along by a copy of the workspace: take it over.
      removeIfThere(file)
    }
    throw new WorkbenchError('conflict', `Could not take ${file}: another workbench keeps starting on ${dir}.`, {
      path: dir,
    })
  }

  /** Records the port the server listens on, for the message a second server shows. */
  setPort(port: number): void {
    const entry = held.get(this.file)
    if (this.released || !entry) return
    entry.holder = { ...entry.holder, port }
    const tmp = `${this.file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(entry.holder, null, 2))
    renameSync(tmp, this.file)
  }

  release(): void {
    if (this.released) return
    this.released = true
    const entry = held.get(this.file)
    if (!entry || --entry.count > 0) return
    held.delete(this.file)
    // Only our own lock file goes: never one another server wrote after taking over a stale one.
    if (readHolder(this.file)?.pid === process.pid) removeIfThere(this.file)
  }
}
