import { describe, expect, it } from 'vitest'
import { WorkbenchError } from '../../shared/errors'
import { diskOf, importFailure } from './import-failure'

const errno = (code: string, path?: string) =>
  Object.assign(new Error(`${code}: failed`), { code, syscall: 'write', ...(path ? { path } : {}) })

describe('why an import failed, in words', () => {
  it('says the disk is full for SQLite and the file system alike', () => {
    for (const e of [
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      errno('ENOSPC', '/ws/thumbnails/ab/x.webp'),
      errno('EDQUOT'),
    ]) {
      const failure = importFailure(e, 'study', '/ws')
      expect(failure).toBeInstanceOf(WorkbenchError)
      expect((failure as WorkbenchError).message).toMatch(
        /^The disk is full: the import of study was rolled back, nothing was added; free space on .+\/ws.* and import again\.$/,
      )
    }
  })

  it('tells a workspace that cannot be written from a dataset file that cannot be read', () => {
    expect((importFailure(errno('EACCES', '/ws/media/study/a.png'), 'study', '/ws') as Error).message).toBe(
      'The workspace could not be written (EACCES on /ws/media/study/a.png): the import of study was rolled back, nothing was added.',
    )
    expect((importFailure(errno('EIO', '/data/study/labels.csv'), 'study', '/ws') as Error).message).toBe(
      '/data/study/labels.csv could not be read (EIO): the import of study stopped, nothing was added.',
    )
  })

  it('leaves any other error as it is', () => {
    const bug = new TypeError('x is undefined')
    expect(importFailure(bug, 'study', '/ws')).toBe(bug)
  })

  it('names the device and mount point holding the workspace when the system tells', () => {
    expect(diskOf('/')).toMatch(
      process.platform === 'linux' ? /^\S+ \(mounted on \/, which holds the workspace \/\)$/ : /workspace \//,
    )
  })
})
