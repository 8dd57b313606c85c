import { readFileSync, realpathSync, rmdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { WorkbenchError } from '../../shared/errors'
import { isInside } from './formats/common/root'

// An import that cannot write the workspace (disk full, quota, permissions) stops as a whole: the
// catalogue transaction never commits, the thumbnails and media it wrote are removed, and the user
// reads one line saying what failed and what to do, never SQLite's words and a stack trace.

const DISK_FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT'])

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

export const isDiskFull = (e: unknown): boolean => DISK_FULL.has(codeOf(e) ?? '')

/** Disk full, or a file system call that failed (only the workspace is written during an import). */
export const isWorkspaceWriteError = (e: unknown): boolean =>
  isDiskFull(e) || typeof (e as { syscall?: unknown } | null)?.syscall === 'string'

/** The device and mount point holding `path`, from the mount table (Linux); undefined elsewhere. */
function mountOf(path: string): { device: string; mount: string } | undefined {
  let table: string
  let real: string
  try {
    table = readFileSync('/proc/self/mounts', 'utf8')
    real = realpathSync(path)
  } catch {
    return undefined
  }
  let best: { device: string; mount: string } | undefined
  for (const line of table.split('\n')) {
    const [device, written] = line.split(' ')
    if (!written) continue
    // The table escapes spaces and tabs in paths as octal (\040).
    const mount = written.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    if (isInside(mount, real) && (!best || mount.length >= best.mount.length)) best = { device, mount }
  }
  return best
}

/** Where space must be freed, in words: the device and its mount point when known, and the workspace. */
export function diskOf(workspace: string): string {
  const m = mountOf(workspace)
  return m
    ? `${m.device} (mounted on ${m.mount}, which holds the workspace ${workspace})`
    : `the disk holding the workspace ${workspace}`
}

/**
 * The error an import fails with: a full disk, a workspace that cannot be written and a dataset file
 * that cannot be read, in words naming the file; anything else as it is (a bug, logged as such).
 */
export function importFailure(e: unknown, dataset: string, workspace: string): unknown {
  if (isDiskFull(e)) {
    return new WorkbenchError(
      'import_failed',
      `The disk is full: the import of ${dataset} was rolled back, nothing was added; free space on ${diskOf(workspace)} and import again.`,
      { reason: 'disk full', dataset, workspace },
    )
  }
  if (!isWorkspaceWriteError(e)) return e
  const { code, path } = e as NodeJS.ErrnoException
  if (path && !isInside(workspace, path)) {
    return new WorkbenchError(
      'import_failed',
      `${path} could not be read (${code}): the import of ${dataset} stopped, nothing was added.`,
      { reason: 'dataset not readable', dataset, path, code },
    )
  }
  return new WorkbenchError(
    'import_failed',
    `The workspace could not be written (${code} on ${path ?? workspace}): the import of ${dataset} was rolled back, nothing was added.`,
    { reason: 'workspace not writable', dataset, workspace, code },
  )
}

/** Removes a folder when it is empty; one still in use (or never made) stays. */
function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder)
  } catch {
    // not empty (files of an earlier import) or not there: either way it stays
  }
}

/** Removes files an import wrote before it failed, the folders that left empty, and `folder` if empty. */
export function removeWritten(files: string[], folder?: string): void {
  for (const f of files) rmSync(f, { force: true })
  for (const dir of new Set(files.map((f) => dirname(f)))) removeIfEmpty(dir)
  if (folder) removeIfEmpty(folder)
}
