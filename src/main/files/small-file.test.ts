import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeSmallFile } from './small-file'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'small-file-test-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('writeSmallFile', () => {
  it('makes a missing folder (a failed import may have removed it) and writes the bytes', () => {
    const file = join(dir, 'thumbnails', 'ab', 'ab12.webp')
    writeSmallFile(file, Buffer.from('picture'))
    expect(readFileSync(file, 'utf8')).toBe('picture')
    expect(readdirSync(join(dir, 'thumbnails', 'ab'))).toEqual(['ab12.webp'])
  })

  it('replaces a link put in the file’s place instead of writing through it', () => {
    const target = join(dir, 'elsewhere.txt')
    writeFileSync(target, 'not ours')
    const file = join(dir, 'ab12.webp')
    symlinkSync(target, file)
    writeSmallFile(file, Buffer.from('picture'))
    expect(lstatSync(file).isFile()).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('not ours')
  })

  it('leaves nothing behind when it cannot write, and says why', () => {
    const folder = join(dir, 'taken')
    mkdirSync(folder)
    // The file's name is a folder already: the rename fails after the temporary file was written.
    mkdirSync(join(folder, 'ab12.webp'))
    expect(() => writeSmallFile(join(folder, 'ab12.webp'), Buffer.from('picture'))).toThrow(/EISDIR|ENOTEMPTY|EEXIST/)
    expect(readdirSync(folder)).toEqual(['ab12.webp'])
  })
})
