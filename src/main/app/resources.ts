import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The resources folder sits at the package root. Sources run from src/main/** (tsx, tests) and the
// build from out/main/**, so walk up from this file instead of hard-coding a depth.
let cached: string | undefined

/** Absolute path of the package's resources/ folder. */
export function resourcesDir(): string {
  if (cached) return cached
  const override = process.env.AFFECT_RESOURCES
  if (override) return (cached = override)
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'resources')
    if (existsSync(join(candidate, 'labels', 'aus.json'))) return (cached = candidate)
    const up = dirname(dir)
    if (up === dir) break
    dir = up
  }
  throw new Error('resources/labels not found above ' + fileURLToPath(import.meta.url))
}

export const resourcePath = (...parts: string[]): string => join(resourcesDir(), ...parts)
