import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs'
import { isAbsolute, relative } from 'node:path'

// Files the workbench serves by id (images, thumbnails, exports, the renderer build) must be what
// they claim: a regular file inside the folder they belong to. A link swapped in for one of them
// (an image replaced by a link to /etc/passwd) must not turn the server into a file reader, and a
// FIFO or device must not block it. So: resolve every link, check the result is inside the folder,
// open it without following a last-moment link (O_NOFOLLOW) or waiting on a FIFO (O_NONBLOCK),
// and check what was opened is a regular file.

export type RefusedBecause = 'missing' | 'outside' | 'not_a_file'

/** A file that could not be served, and why: missing, leading outside its folder, or not a regular file. */
export class FileRefused extends Error {
  constructor(
    readonly reason: RefusedBecause,
    readonly file: string,
  ) {
    super(
      reason === 'missing'
        ? `${file} is missing`
        : reason === 'outside'
          ? `${file} leads outside its folder (a link?)`
          : `${file} is not a regular file`,
    )
    this.name = 'FileRefused'
  }
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

function realPath(path: string, file: string): string {
  try {
    return realpathSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ELOOP') throw new FileRefused('outside', file)
    throw new FileRefused('missing', file)
  }
}

/** True when `inner` is `outer` itself or lies below it (both already resolved). */
export function isInside(outer: string, inner: string): boolean {
  const rel = relative(outer, inner)
  return !rel.startsWith('..') && !isAbsolute(rel)
}

/** Opens a regular file lying inside `folder` once links are resolved; the caller closes the fd. */
export function openContainedFile(file: string, folder: string): { fd: number; size: number; path: string } {
  const realFolder = realPath(folder, file)
  const real = realPath(file, file)
  if (real === realFolder || !isInside(realFolder, real)) throw new FileRefused('outside', file)
  let fd: number
  try {
    fd = openSync(real, OPEN_FLAGS)
  } catch (e) {
    // ELOOP: the last component became a link after it was resolved.
    throw new FileRefused((e as NodeJS.ErrnoException).code === 'ELOOP' ? 'outside' : 'missing', file)
  }
  const stat = fstatSync(fd)
  if (!stat.isFile()) {
    closeSync(fd)
    throw new FileRefused('not_a_file', file)
  }
  return { fd, size: stat.size, path: real }
}

/** The bytes of a regular file inside `folder` (see openContainedFile). */
export function readContainedFile(file: string, folder: string): Buffer {
  const { fd } = openContainedFile(file, folder)
  try {
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}
