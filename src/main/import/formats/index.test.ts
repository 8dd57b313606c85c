import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { IMPORT_FORMATS } from '../../../shared/contract/imports'
import { FORMATS, FORMAT_NAMES } from './index'

describe('format registry', () => {
  it('has one reader per --format name, each named after its key and described in one line', () => {
    expect(Object.keys(FORMATS).sort()).toEqual([...FORMAT_NAMES].sort())
    for (const name of FORMAT_NAMES) {
      expect(FORMATS[name].format).toBe(name)
      expect(FORMATS[name].describe).toMatch(/^[^\n]{10,200}$/)
    }
  })

  it('matches the formats the contract accepts', () => {
    expect([...FORMAT_NAMES]).toEqual([...IMPORT_FORMATS])
  })

  it('keeps readers free of electron and of image decoding', () => {
    for (const name of FORMAT_NAMES) {
      const source = readFileSync(fileURLToPath(new URL(`./${name}.ts`, import.meta.url)), 'utf8')
      expect(source).not.toMatch(/from 'electron'|from 'sharp'/)
    }
  })
})
