import { mkdir, rm, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { GENERATOR, labelsCsv, landmarksJson, truthJson } from './dataset-files'
import { planDemo, type DatasetPlan, type DemoDatasetName, type DemoSize } from './plan'
import { mapLimit, renderFacePng } from './render'
import type { Split } from '../../shared/contract'
import type { ClassKind } from '../../shared/labels'

// The demo datasets on disk: one folder per dataset with images/, labels.csv and truth.json, and a
// demo-manifest.json listing them.

export const DEFAULT_DEMO_SEED = 1

export interface GenerateDemoOptions {
  outDir: string
  seed?: number
  /** small ~330 faces (tests), medium ~3,030 (default), large ~30,300 (benchmarks). */
  size?: DemoSize
  /** Image width and height in pixels, 64 by default. */
  imageSize?: number
  onProgress?: (done: number, total: number) => void
}

export interface DemoDatasetManifest {
  name: DemoDatasetName
  kind: ClassKind
  /** The class columns of labels.csv, in order (its label space). */
  classCodes: string[]
  counts: Record<Split, number> & { total: number }
  /** Absolute paths. */
  dir: string
  labelsCsv: string
  truthJson: string
  /** Each face's 68 landmarks in pixels of its image (face-landmarks.ts), by image path. */
  landmarksJson: string
}

export interface DemoManifest {
  generator: string
  seed: number
  size: DemoSize
  imageSize: number
  outDir: string
  faces: number
  datasets: DemoDatasetManifest[]
}

/** Renders a few faces per CPU at once: sharp runs librsvg on libuv's threads, not on this one. */
const concurrency = (): number => Math.max(4, 2 * availableParallelism())

function manifestOf(plan: DatasetPlan, dir: string): DemoDatasetManifest {
  const counts = { train: 0, val: 0, test: 0, total: plan.faces.length }
  for (const f of plan.faces) counts[f.split]++
  return {
    name: plan.name,
    kind: plan.kind,
    classCodes: plan.classCodes,
    counts,
    dir,
    labelsCsv: join(dir, 'labels.csv'),
    truthJson: join(dir, 'truth.json'),
    landmarksJson: join(dir, 'landmarks.json'),
  }
}

export async function generateDemo(opts: GenerateDemoOptions): Promise<DemoManifest> {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED
  const size = opts.size ?? 'medium'
  const imageSize = opts.imageSize ?? 64
  if (!Number.isInteger(seed)) throw new Error(`demo seed must be an integer, not ${seed}`)
  if (!Number.isInteger(imageSize) || imageSize < 16 || imageSize > 1024)
    throw new Error(`demo image size must be 16..1024 pixels, not ${imageSize}`)
  const outDir = resolve(opts.outDir)
  const plans = planDemo(seed, size)
  const total = plans.reduce((s, p) => s + p.faces.length, 0)
  let done = 0
  opts.onProgress?.(0, total)

  const datasets: DemoDatasetManifest[] = []
  for (const plan of plans) {
    const dir = join(outDir, plan.name)
    // A previous, larger run must not leave images that labels.csv no longer lists.
    await rm(join(dir, 'images'), { recursive: true, force: true })
    await mkdir(join(dir, 'images'), { recursive: true })
    await mapLimit(plan.faces, concurrency(), async (f) => {
      const png = await renderFacePng(f.face, { size: imageSize })
      await writeFile(join(dir, f.path), png)
      opts.onProgress?.(++done, total)
    })
    await writeFile(join(dir, 'labels.csv'), labelsCsv(plan))
    await writeFile(join(dir, 'truth.json'), truthJson(plan, seed, imageSize))
    await writeFile(join(dir, 'landmarks.json'), landmarksJson(plan, imageSize))
    datasets.push(manifestOf(plan, dir))
  }

  const manifest: DemoManifest = { generator: GENERATOR, seed, size, imageSize, outDir, faces: total, datasets }
  await writeFile(join(outDir, 'demo-manifest.json'), JSON.stringify(relativeManifest(manifest), null, 1))
  return manifest
}

/** The manifest as written to disk: paths relative to outDir, so that the folder can be moved. */
function relativeManifest(m: DemoManifest): unknown {
  const rel = (p: string): string =>
    p
      .slice(m.outDir.length + 1)
      .split('\\')
      .join('/')
  return {
    ...m,
    outDir: '.',
    datasets: m.datasets.map((d) => ({
      ...d,
      dir: rel(d.dir),
      labelsCsv: rel(d.labelsCsv),
      truthJson: rel(d.truthJson),
      landmarksJson: rel(d.landmarksJson),
    })),
  }
}
