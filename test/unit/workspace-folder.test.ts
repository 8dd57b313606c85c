import { mkdirSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkbenchError } from '../../src/shared/errors'
import { checkWorkspaceFolder, makeFolders } from '../../src/main/workspace/workspace-folder'
import { Workspace } from '../../src/main/workspace/workspace'
import { tempDir } from '../helpers/workbench'

// A workspace is an ordinary folder tree. Kernel trees are refused before anything is made (mkdir
// -p in /proc loops forever in Node: test/integration/serve-process.test.ts shows the server
// still answering), and missing folders are made one by one with their own error.

let dir: string
beforeAll(() => {
  dir = tempDir()
  writeFileSync(join(dir, 'a-file'), 'x')
  symlinkSync('/proc', join(dir, 'to-proc'))
  symlinkSync('/sys/kernel', join(dir, 'to-sys'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function refusedBecause(path: string): string {
  try {
    checkWorkspaceFolder(path)
  } catch (e) {
    expect(e).toBeInstanceOf(WorkbenchError)
    expect((e as WorkbenchError).code).toBe('invalid_arguments')
    expect((e as WorkbenchError).details).toMatchObject({ field: 'path' })
    return (e as WorkbenchError).message
  }
  return 'accepted'
}

describe('workspace folders', () => {
  it('refuses /proc, /sys and /dev, and links into them, with a message', () => {
    expect(refusedBecause('/proc/x')).toBe(
      '/proc/x cannot hold a workspace: /proc is a system folder, not a folder on a disk. Choose a folder in your home or on a data disk.',
    )
    expect(refusedBecause('/sys/x/y')).toMatch(/^\/sys\/x\/y cannot hold a workspace: \/sys is a system folder/)
    expect(refusedBecause('/dev/shm/ws')).toMatch(/\/dev is a system folder/)
    expect(refusedBecause('/proc/../proc/self')).toMatch(/\/proc is a system folder/)
    expect(refusedBecause(join(dir, 'to-proc', 'x'))).toMatch(/leads to \/proc, a system folder/)
    expect(refusedBecause(join(dir, 'to-sys', 'x'))).toMatch(/leads to \/sys\/kernel, a system folder/)
  })

  it('refuses a path through a file', () => {
    expect(refusedBecause(join(dir, 'a-file', 'ws'))).toMatch(/a-file is a file, not a folder/)
  })

  it('accepts a new folder under an ordinary one and makes it from the top', () => {
    const path = join(dir, 'new', 'deep', 'ws')
    expect(checkWorkspaceFolder(path)).toBe(path)
    expect(existsSync(join(dir, 'new'))).toBe(false)
    makeFolders(path)
    expect(statSync(path).isDirectory()).toBe(true)
  })

  it('names the folder it could not make', () => {
    mkdirSync(join(dir, 'locked'))
    writeFileSync(join(dir, 'locked', 'sub'), 'a file where a folder should go')
    expect(() => makeFolders(join(dir, 'locked', 'sub', 'ws'))).toThrow(
      /Could not make the folder .*locked\/sub\/ws \(ENOTDIR\): a part of the path is a file, not a folder\./,
    )
  })

  it('Workspace.create and open refuse system folders before making anything', () => {
    expect(() => Workspace.create('/dev/affect-test-ws')).toThrow(/\/dev is a system folder/)
    expect(existsSync('/dev/affect-test-ws')).toBe(false)
    expect(() => Workspace.create('/sys/affect-test-ws')).toThrow(/\/sys is a system folder/)
    expect(() => Workspace.open('/proc/self/cwd')).toThrow(/\/proc is a system folder/)
  })
})
