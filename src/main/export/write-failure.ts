import { dirname } from 'node:path'
import { WorkbenchError } from '../../shared/errors'

// A file the workbench could not write, said in one line a user can act on (no stack trace).

const REASONS: Record<string, (file: string) => string> = {
  ENOSPC: () => 'the disk is full: free some space and try again',
  EDQUOT: () => 'the disk quota is used up: free some space and try again',
  EACCES: (file) => `no permission to write in ${dirname(file)}: choose another folder`,
  EPERM: (file) => `no permission to write in ${dirname(file)}: choose another folder`,
  EROFS: (file) => `${dirname(file)} is on a read-only disk: choose another folder`,
  ENOENT: (file) => `the folder ${dirname(file)} does not exist`,
  ENOTDIR: (file) => `${dirname(file)} is not a folder`,
  EISDIR: (file) => `${file} is a folder`,
  EIO: () => 'the disk reported an input/output error',
}

const errnoOf = (e: unknown): string | null =>
  e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string'
    ? (e as NodeJS.ErrnoException).code!
    : null

/**
 * The error to report when writing `file` failed: file-system errors become one line naming the
 * file and what to do; errors the workbench already explained pass through unchanged.
 */
export function writeFailure(file: string, e: unknown): unknown {
  if (e instanceof WorkbenchError) return e
  const errno = errnoOf(e)
  if (!errno || !errno.startsWith('E')) return e
  const reason = REASONS[errno]?.(file) ?? (e as Error).message.replace(/\s+/g, ' ')
  return new WorkbenchError('export_failed', `Could not write ${file}: ${reason}. Nothing was written.`, {
    file,
    errno,
  })
}
