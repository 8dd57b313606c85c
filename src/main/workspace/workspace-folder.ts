import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { dirname, resolve, sep } from 'node:path'
import { WorkbenchError } from '../../shared/errors'
import { isInside } from '../files/contained-file'

// A workspace is an ordinary folder tree on a disk. Kernel file systems are not: mkdir in /proc
// fails with ENOENT for a folder whose parent exists, and Node's recursive mkdir answers that by
// trying again forever (a request that never returns and holds a core). So a workspace path is
// checked before anything is created, and missing folders are made one at a time from the top,
// each with a plain mkdir whose error is reported.

/** Kernel and pseudo file systems: never a place for a workspace. */
const PSEUDO_FILE_SYSTEMS = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'cgroup',
  'cgroup2',
  'debugfs',
  'tracefs',
  'securityfs',
  'configfs',
  'pstore',
  'bpf',
  'fusectl',
  'mqueue',
  'binfmt_misc',
  'efivarfs',
  'hugetlbfs',
  'autofs',
  'rpc_pipefs',
  'nsfs',
])
const SYSTEM_TREES = ['/proc', '/sys', '/dev']

const refuse = (path: string, why: string): WorkbenchError =>
  new WorkbenchError(
    'invalid_arguments',
    `${path} cannot hold a workspace: ${why}. Choose a folder in your home or on a data disk.`,
    { field: 'path', path },
  )

/** The nearest folder of `dir` (itself or an ancestor) that exists. */
function nearestExisting(dir: string): string {
  let at = dir
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at)
  return at
}

/** The type of the file system `realPath` lies on, from the mount table (Linux); null elsewhere. */
function fileSystemOf(realPath: string): string | null {
  let table: string
  try {
    table = readFileSync('/proc/self/mounts', 'utf8')
  } catch {
    return null
  }
  let best: { point: string; type: string } | null = null
  for (const line of table.split('\n')) {
    const [, rawPoint, type] = line.split(' ')
    if (!rawPoint || !type) continue
    // Spaces and tabs in mount points are written as octal escapes (\040).
    const point = rawPoint.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))
    if (isInside(point, realPath) && (!best || point.length >= best.point.length)) best = { point, type }
  }
  return best?.type ?? null
}

/**
 * Checks that `path` can be a workspace folder (an ordinary folder tree, not under /proc, /sys or
 * /dev, nor on a kernel file system, nor a file) and returns it resolved. Nothing is created.
 */
export function checkWorkspaceFolder(path: string): string {
  const dir = resolve(path)
  const system = SYSTEM_TREES.find((tree) => dir === tree || dir.startsWith(tree + sep))
  if (system) throw refuse(dir, `${system} is a system folder, not a folder on a disk`)
  const existing = nearestExisting(dir)
  if (!statSync(existing).isDirectory()) throw refuse(dir, `${existing} is a file, not a folder`)
  const real = realpathSync(existing)
  const linked = SYSTEM_TREES.find((tree) => real === tree || real.startsWith(tree + sep))
  if (linked) throw refuse(dir, `${existing} leads to ${real}, a system folder`)
  const type = fileSystemOf(real)
  if (type && PSEUDO_FILE_SYSTEMS.has(type))
    throw refuse(dir, `${real} is on the kernel's ${type} file system, not on a disk`)
  return dir
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** Makes the missing folders of `dir` from the top, one plain mkdir each, naming the one that fails. */
export function makeFolders(dir: string): void {
  const missing: string[] = []
  for (let at = dir; !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.unshift(at)
  for (const folder of missing) {
    try {
      mkdirSync(folder)
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      if (err.code === 'EEXIST' && isFolder(folder)) continue
      throw new WorkbenchError(
        'invalid_arguments',
        `Could not make the folder ${folder} (${err.code ?? err.message}): ${FOLDER_ERRORS[err.code ?? ''] ?? err.message}.`,
        { field: 'path', path: dir },
      )
    }
  }
}

const FOLDER_ERRORS: Record<string, string> = {
  EACCES: 'you have no permission to write there',
  EPERM: 'the system does not allow it',
  EROFS: 'that disk is read-only',
  ENOSPC: 'the disk is full',
  ENOENT: 'that place cannot hold folders',
  ENOTDIR: 'a part of the path is a file, not a folder',
}
