import { builtinModules } from 'node:module'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

// Where code runs decides what it may import: src/shared runs in every process (renderer included),
// and only the Electron glue under src/main may import electron (services run in plain Node).
const root = join(import.meta.dirname, '..', '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|vue|mts)$/.test(name) ? [path] : []
  })
}

/** Module specifiers of static imports, dynamic imports and requires. */
export function importsOf(source: string): string[] {
  const found: string[] = []
  const patterns = [/\bimport\s+(?:type\s+)?[^'"]*?from\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\bexport\s+[^'"]*?from\s*['"]([^'"]+)['"]/g]
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1])
  return found
}

const nodeModules = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
const isElectronGlue = (file: string) => {
  const rel = relative(join(root, 'src', 'main'), file)
  return rel === 'index.ts' || rel.startsWith('electron/')
}

describe('layering', () => {
  it('recognises every import form (so the checks below can fail)', () => {
    expect(importsOf(`import fs from 'node:fs'\nimport type { X } from "electron"\nconst a = await import('path')\nrequire('better-sqlite3')\nexport * from 'os'`)).toEqual(['node:fs', 'electron', 'path', 'better-sqlite3', 'os'])
  })

  it('src/shared imports nothing from Node, Electron, native packages or the DOM', () => {
    const offenders: string[] = []
    // Tests beside the sources run under vitest in Node only; they are not shipped to any process.
    for (const file of sourceFiles(join(root, 'src', 'shared')).filter((f) => !f.endsWith('.test.ts'))) {
      const source = readFileSync(file, 'utf8')
      for (const spec of importsOf(source)) {
        const allowed = spec.startsWith('.') || spec === 'zod'
        if (!allowed || nodeModules.has(spec)) offenders.push(`${relative(root, file)} imports ${spec}`)
      }
      if (/\b(window|document|navigator|localStorage)\s*\./.test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))) offenders.push(`${relative(root, file)} uses a DOM global`)
    }
    expect(offenders).toEqual([])
  })

  it('only the Electron glue under src/main imports electron', () => {
    const offenders = sourceFiles(join(root, 'src', 'main'))
      .filter((file) => !isElectronGlue(file))
      .filter((file) => importsOf(readFileSync(file, 'utf8')).some((s) => s === 'electron' || s.startsWith('electron/')))
      .map((file) => relative(root, file))
    expect(offenders).toEqual([])
  })

  it('the renderer reaches main only through src/renderer/src/api', () => {
    const offenders = sourceFiles(join(root, 'src', 'renderer', 'src'))
      .filter((file) => !relative(join(root, 'src', 'renderer', 'src'), file).startsWith('api'))
      .filter((file) => /window\.api\b|\bfetch\(|new WebSocket\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
    expect(offenders).toEqual([])
  })
})
