import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

// The workbench writes many small files of its own (thumbnails, face crops, FER2013's pictures as
// PNG: a few kilobytes each, thousands per import). Written synchronously they cost a few system
// calls each; through fs/promises each is an open, a write and a close handed to libuv's thread
// pool and back, which on a busy machine costs more CPU than the writing itself (issue 12: the
// crops-only import spent a third of its time in those hand-overs).

let tmpCount = 0

/** Writes `file`, making its folder when missing (a failed import may have removed it). */
function writeMakingFolder(file: string, bytes: Uint8Array): void {
  try {
    writeFileSync(file, bytes)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, bytes)
  }
}

/**
 * Writes a small file whole or not at all: into a temporary name, then renamed over `file`. The
 * rename replaces whatever is at `file` (a link included) instead of writing through it, and a disk
 * that fills up midway leaves no partly written file behind.
 */
export function writeSmallFile(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.${process.pid}.${++tmpCount}.tmp`
  try {
    writeMakingFolder(tmp, bytes)
    renameSync(tmp, file)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}
