import { WorkbenchError } from '../../shared/errors'

// Why a long-running command (affect serve) could not start, in one line a user can act on:
// never a stack trace. SQLite and the system report codes; these are the ones a user meets
// (a full disk, a port in use, a folder without permission) in words.

export interface StartupPlace {
  port?: number
  workspace?: string
}

/** One line, starting with a capital: what the terminal shows after "affect: ". */
const oneLine = (text: string): string => {
  const line = text.replace(/\s*\n\s*/g, ' ').trim()
  return line.charAt(0).toUpperCase() + line.slice(1)
}

function sqliteInWords(code: string, message: string, place: StartupPlace): string {
  const catalogue = place.workspace ? `the catalogue of ${place.workspace}` : 'the workspace catalogue'
  if (code === 'SQLITE_FULL')
    return `The disk is full: SQLite could not write ${catalogue}. Free some space, then start again.`
  if (code.startsWith('SQLITE_READONLY'))
    return `${catalogue} is read-only here: give this user write permission on the workspace folder.`
  if (code.startsWith('SQLITE_CANTOPEN'))
    return `Could not open ${catalogue}: check that the workspace folder exists and can be written.`
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return `${catalogue} is damaged or not a workbench database (${message}): restore it from a backup.`
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return `${catalogue} is locked by another program: close it, then start again.`
  if (code.startsWith('SQLITE_IOERR')) return `The disk failed while reading or writing ${catalogue} (${message}).`
  return `Could not open ${catalogue}: ${message}.`
}

function systemInWords(e: NodeJS.ErrnoException, place: StartupPlace): string | null {
  const path = e.path ?? place.workspace ?? 'the workspace'
  if (e.syscall === 'listen' && e.code === 'EADDRINUSE')
    return `Port ${place.port} on 127.0.0.1 is already in use by another program: choose another with --port, or --port 0 for any free one.`
  if (e.syscall === 'listen' && e.code === 'EACCES')
    return `Port ${place.port} needs administrator rights: choose a port above 1023, or --port 0 for any free one.`
  if (e.code === 'ENOSPC') return `The disk is full: could not write ${path}. Free some space, then start again.`
  if (e.code === 'EACCES' || e.code === 'EPERM')
    return `No permission to use ${path}: choose a folder this user can write.`
  if (e.code === 'EROFS') return `${path} is on a read-only disk: choose a folder on a writable disk.`
  if (e.code === 'ENOENT') return `${path} does not exist.`
  return null
}

/** One line saying why the command could not start. */
export function startupFailure(e: unknown, place: StartupPlace): string {
  if (e instanceof WorkbenchError) return oneLine(e.message)
  const error = e instanceof Error ? (e as NodeJS.ErrnoException) : new Error(String(e))
  const code = typeof (error as NodeJS.ErrnoException).code === 'string' ? (error as NodeJS.ErrnoException).code! : ''
  if (code.startsWith('SQLITE_')) return oneLine(sqliteInWords(code, error.message, place))
  return oneLine(systemInWords(error, place) ?? `Could not start: ${error.message}`)
}
