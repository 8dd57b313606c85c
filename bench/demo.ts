import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { generateDemo } from '../src/main/demo/generate'
import type { DemoSize } from '../src/main/demo/plan'

// `affect bench` demo generation: the medium demo (about 3,030 faces) generated into a temporary
// folder, which is removed afterwards. Target: under 20 s on a 2-core machine.

export interface DemoBenchResult {
  size: DemoSize
  faces: number
  seconds: number
  facesPerSecond: number
}

export async function benchDemoGeneration(
  opts: { size?: DemoSize; seed?: number; imageSize?: number } = {},
): Promise<DemoBenchResult> {
  const size = opts.size ?? 'medium'
  const dir = await mkdtemp(join(tmpdir(), 'affect-demo-bench-'))
  try {
    const start = performance.now()
    const manifest = await generateDemo({ outDir: dir, size, seed: opts.seed, imageSize: opts.imageSize })
    const seconds = (performance.now() - start) / 1000
    return { size, faces: manifest.faces, seconds, facesPerSecond: manifest.faces / seconds }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
