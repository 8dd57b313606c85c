import { builtinModules } from 'node:module'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

// Where code runs decides what it may import: src/shared runs in every process (renderer included),
// and only the Electron glue under src/main may import electron (services run in plain Node). What
// ships is src/main without its tests: it imports no dev dependency and nothing from bench/ (the
// benchmarks live outside the product; bin/affect.mjs adds their command).
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
  const patterns = [
    /\bimport\s+(?:type\s+)?[^'"]*?from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bexport\s+[^'"]*?from\s*['"]([^'"]+)['"]/g,
  ]
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1])
  return found
}

/** Module specifiers of imports that stay at run time: `import type` and all-`type` specifier lists are erased. */
export function valueImportsOf(source: string): string[] {
  const typeOnly =
    /\b(?:import|export)\s+type\s+[^'"]*?from\s*['"]([^'"]+)['"]|\b(?:import|export)\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g
  const erased = new Map<string, number>()
  for (const m of source.matchAll(typeOnly)) {
    const names = m[2]
      ?.split(',')
      .map((n) => n.trim())
      .filter(Boolean)
    const spec = m[1] ?? m[3]
    if (m[1] !== undefined || (names?.length && names.every((n) => n.startsWith('type '))))
      erased.set(spec, (erased.get(spec) ?? 0) + 1)
  }
  return importsOf(source).filter((spec) => {
    const left = erased.get(spec) ?? 0
    if (!left) return true
    erased.set(spec, left - 1)
    return false
  })
}

/** The package a bare specifier names: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
const packageOf = (spec: string): string =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/')

const devDependencies = new Set(
  Object.keys(
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
      .devDependencies,
  ),
)

/** Files of src/main that ship: tests beside the sources run under vitest only. */
const shippedMainFiles = () => sourceFiles(join(root, 'src', 'main')).filter((f) => !f.endsWith('.test.ts'))

const nodeModules = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
const isElectronGlue = (file: string) => {
  const rel = relative(join(root, 'src', 'main'), file)
  return rel === 'index.ts' || rel.startsWith('electron/')
}

describe('layering', () => {
  it('recognises every import form (so the checks below can fail)', () => {
    expect(
      importsOf(
        `import fs from 'node:fs'\nimport type { X } from "electron"\nconst a = await import('path')\nrequire('better-sqlite3')\nexport * from 'os'`,
      ),
    ).toEqual(['node:fs', 'electron', 'path', 'better-sqlite3', 'os'])
  })

  it('tells imports that stay at run time from type-only ones (so the dev-dependency check can fail)', () => {
    const source = `import type { Page } from 'playwright-core'\nimport { type Ref, type App } from 'vue'\nimport { chromium } from 'playwright-core'\nimport { type A, b } from 'pinia'\nexport type { X } from 'vitest'`
    expect(valueImportsOf(source)).toEqual(['playwright-core', 'pinia'])
    expect(packageOf('@vue/test-utils/dist')).toBe('@vue/test-utils')
    expect(devDependencies.has('playwright-core')).toBe(true)
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
      if (/\b(window|document|navigator|localStorage)\s*\./.test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
        offenders.push(`${relative(root, file)} uses a DOM global`)
    }
    expect(offenders).toEqual([])
  })

  it('only the Electron glue under src/main imports electron', () => {
    const offenders = sourceFiles(join(root, 'src', 'main'))
      .filter((file) => !isElectronGlue(file))
      .filter((file) =>
        importsOf(readFileSync(file, 'utf8')).some((s) => s === 'electron' || s.startsWith('electron/')),
      )
      .map((file) => relative(root, file))
    expect(offenders).toEqual([])
  })

  it('what ships from src/main imports no dev dependency (electron only in the Electron glue, which it runs in)', () => {
    const offenders = shippedMainFiles().flatMap((file) =>
      valueImportsOf(readFileSync(file, 'utf8'))
        .filter((spec) => !spec.startsWith('.') && !nodeModules.has(spec))
        .map(packageOf)
        .filter((pkg) => devDependencies.has(pkg) && !(pkg === 'electron' && isElectronGlue(file)))
        .map((pkg) => `${relative(root, file)} imports ${pkg}`),
    )
    expect(offenders).toEqual([])
  })

  it('nothing that ships from src/main imports the benchmarks (bench/)', () => {
    const bench = join(root, 'bench')
    const offenders = shippedMainFiles().flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => spec.startsWith('.') && !relative(bench, join(dirname(file), spec)).startsWith('..'))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    )
    expect(offenders).toEqual([])
  })

  it('no file under src has "bench" in its name (benchmarks live in bench/)', () => {
    const named = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => [
        ...(/bench/i.test(name) ? [relative(root, join(dir, name))] : []),
        ...(statSync(join(dir, name)).isDirectory() ? named(join(dir, name)) : []),
      ])
    expect(named(join(root, 'src'))).toEqual([])
  })

  it('the renderer reaches main only through src/renderer/src/api', () => {
    const offenders = sourceFiles(join(root, 'src', 'renderer', 'src'))
      .filter((file) => !relative(join(root, 'src', 'renderer', 'src'), file).startsWith('api'))
      .filter((file) => /window\.api\b|\bfetch\(|new WebSocket\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
    expect(offenders).toEqual([])
  })
})
