import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileRefused, readContainedFile } from '../../src/main/files/contained-file'
import { tempDir } from '../helpers/workbench'

// What the server may send: a regular file inside its folder, whatever links were put in its place.

let dir: string
let folder: string

const refusal = (file: string): string => {
  try {
    readContainedFile(file, folder)
  } catch (e) {
    if (e instanceof FileRefused) return e.reason
    throw e
  }
  return 'read'
}

beforeAll(() => {
  dir = tempDir()
  folder = join(dir, 'dataset')
  mkdirSync(join(folder, 'happy'), { recursive: true })
  writeFileSync(join(folder, 'happy', 'a.png'), 'PNG')
  writeFileSync(join(dir, 'secret.txt'), 'SECRET')
  symlinkSync(join(dir, 'secret.txt'), join(folder, 'happy', 'passwd.png'))
  symlinkSync(join(folder, 'happy', 'a.png'), join(folder, 'happy', 'same.png'))
  symlinkSync(dir, join(folder, 'up'))
  symlinkSync(join(folder, 'happy', 'loop.png'), join(folder, 'happy', 'loop.png'))
  execFileSync('mkfifo', [join(folder, 'happy', 'fifo.png')])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('readContainedFile', () => {
  it('reads a regular file inside its folder, also through a link that stays inside', () => {
    expect(readContainedFile(join(folder, 'happy', 'a.png'), folder).toString()).toBe('PNG')
    expect(readContainedFile(join(folder, 'happy', 'same.png'), folder).toString()).toBe('PNG')
  })

  it('refuses a file replaced by a link leading out of the folder, however it is reached', () => {
    expect(refusal(join(folder, 'happy', 'passwd.png'))).toBe('outside')
    expect(refusal(join(folder, 'up', 'secret.txt'))).toBe('outside')
    expect(refusal(join(folder, '..', 'secret.txt'))).toBe('outside')
    expect(refusal(join(folder, 'happy', 'loop.png'))).toBe('outside')
  })

  it('refuses folders and FIFOs without blocking, and says when a file is missing', () => {
    expect(refusal(join(folder, 'happy'))).toBe('not_a_file')
    expect(refusal(folder)).toBe('outside')
    expect(refusal(join(folder, 'happy', 'fifo.png'))).toBe('not_a_file')
    expect(refusal(join(folder, 'happy', 'gone.png'))).toBe('missing')
  })
})
