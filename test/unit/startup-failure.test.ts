import { describe, expect, it } from 'vitest'
import { WorkbenchError } from '../../src/shared/errors'
import { startupFailure } from '../../src/main/cli/startup-failure'

// `affect serve` that cannot start says why in one line (test/integration/serve-process.test.ts runs it).

const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code, name: 'SqliteError' })
const system = (code: string, syscall: string, path?: string) =>
  Object.assign(new Error(`${code}: ${syscall}`), { code, syscall, path })

describe('start-up failures in words', () => {
  it('says the disk is full, in one line naming the workspace', () => {
    expect(startupFailure(sqlite('SQLITE_FULL', 'database or disk is full'), { workspace: '/data/ws' })).toBe(
      'The disk is full: SQLite could not write the catalogue of /data/ws. Free some space, then start again.',
    )
    expect(startupFailure(system('ENOSPC', 'write', '/data/ws/workspace.json'), {})).toBe(
      'The disk is full: could not write /data/ws/workspace.json. Free some space, then start again.',
    )
  })

  it('says which port is taken and what to do', () => {
    expect(startupFailure(system('EADDRINUSE', 'listen'), { port: 4173 })).toBe(
      'Port 4173 on 127.0.0.1 is already in use by another program: choose another with --port, or --port 0 for any free one.',
    )
    expect(startupFailure(system('EACCES', 'listen'), { port: 80 })).toMatch(/^Port 80 needs administrator rights/)
  })

  it('keeps a workbench error as it is, and anything else on one line', () => {
    expect(startupFailure(new WorkbenchError('conflict', '/ws is already open in another workbench'), {})).toBe(
      '/ws is already open in another workbench',
    )
    expect(startupFailure(sqlite('SQLITE_NOTADB', 'file is not a database'), { workspace: '/ws' })).toBe(
      'The catalogue of /ws is damaged or not a workbench database (file is not a database): restore it from a backup.',
    )
    expect(startupFailure(new Error('first\n    at somewhere (x.ts:1:1)'), {})).toBe(
      'Could not start: first at somewhere (x.ts:1:1)',
    )
  })
})
