import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowseFilter, BrowseSort } from '../src/shared/contract'
import { Workspace } from '../src/main/workspace/workspace'
import { browseImages } from '../src/main/catalogue/browse'
import { setReview } from '../src/main/catalogue/images'
import { editLabels } from '../src/main/labels/edits'
import { measureBigEdit, type BigEditStats } from './big-edit'
import { buildSyntheticWorkspace } from './synthetic-workspace'
import { scalar } from '../src/main/db/statements'

export interface LatencyStats {
  name: string
  p50: number
  p95: number
  max: number
  runs: number
}
export interface CatalogueBenchResult {
  images: number
  labels: number
  buildSeconds: number
  queries: LatencyStats[]
  /** The first page at 500,000 after a change that invalidates the query's anchors (one walk). */
  firstDeepPage: number
  labelEdit: LatencyStats
  bigEdit: BigEditStats
}

export function stats(name: string, samples: number[]): LatencyStats {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]
  return { name, p50: at(0.5), p95: at(0.95), max: s[s.length - 1], runs: s.length }
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t) / 1e6
}

type PageArgs = BrowseFilter & { offset?: number; sort?: BrowseSort }

/** The grid queries measured: common filters' first pages, and pages deep in the grid. */
function gridCases(
  page: (q: PageArgs, offset?: number) => Promise<unknown>,
  images: number,
): [string, (rep: number) => Promise<unknown>][] {
  const half = Math.floor(images / 2)
  return [
    ['all, first page', () => page({})],
    ['one dataset + split', () => page({ datasetIds: [2], splits: ['train'] })],
    ['AU12 present', () => page({ classes: [{ code: 'AU12', state: 'present' }] })],
    ['AU12 unknown', () => page({ classes: [{ code: 'AU12', state: 'unknown' }] })],
    ['happy absent in dataset 1', () => page({ datasetIds: [1], classes: [{ code: 'happy', state: 'absent' }] })],
    ['to review, sorted by path', () => page({ review: ['to_review'], sort: 'path' })],
    ['path text', () => page({ pathContains: '00042' })],
    // Scrolling around the middle of the grid: neighbouring pages, as the virtual grid asks them.
    [`deep page (offset ${half.toLocaleString('en')})`, (rep) => page({}, half + rep * 100)],
    // Jumps anywhere, as dragging the scroll bar does.
    ['jump to any position', (rep) => page({}, Math.floor((((rep * 7919) % 1000) / 1000) * images))],
    [`deep page sorted by path`, (rep) => page({ sort: 'path' }, half + rep * 100)],
  ]
}

/**
 * Catalogue latency at scale, through the service functions the router calls: a page of 100 of the
 * grid (images.browse) with its count, for common filters and for pages deep in a 1,000,000-image
 * catalogue (target p95 < 50 ms, and a deep page as fast as the first), a committed label edit
 * (target < 10 ms), and a 1,000,000-change edit written while other calls keep being answered.
 */
export async function runCatalogueBench(
  options: { images?: number; reps?: number; keep?: string } = {},
): Promise<CatalogueBenchResult> {
  const images = options.images ?? 1_000_000
  const reps = options.reps ?? 40
  const dir = options.keep ?? mkdtempSync(join(tmpdir(), 'affect-bench-'))
  const t0 = Date.now()
  buildSyntheticWorkspace(join(dir, 'ws'), images)
  const buildSeconds = (Date.now() - t0) / 1000
  const ws = Workspace.open(join(dir, 'ws'))
  try {
    const labels = scalar<number>(ws.db, 'SELECT count(*) FROM labels')
    const page = (q: PageArgs, offset = q.offset ?? 0) =>
      browseImages(ws.db, { sort: 'id', order: 'asc', limit: 100, ...q, offset })
    const half = Math.floor(images / 2)
    const cases = gridCases(page, images)
    const queries: LatencyStats[] = []
    for (const [name, fn] of cases) {
      await fn(reps) // warm statements, pages, and the query's anchors
      const samples: number[] = []
      for (let rep = 0; rep < reps; rep++) samples.push(await time(() => fn(rep)))
      queries.push(stats(name, samples))
    }
    // A review change can move rows of any filter: the next deep page walks to its anchor again.
    setReview(ws.db, [1], 'verified')
    const firstDeepPage = await time(() => page({}, half))
    const edits: number[] = []
    for (let i = 0; i < 200; i++) {
      const imageId = 1 + ((i * 7919) % images)
      edits.push(
        await time(() => editLabels(ws.db, [{ imageId, code: 'AU12', value: i % 2 ? 1 : 0 }], 'bench', 'benchmark')),
      )
    }
    const bigEdit = await measureBigEdit(ws.db, images)
    return {
      images,
      labels,
      buildSeconds,
      queries,
      firstDeepPage,
      labelEdit: stats('label edit (commit)', edits),
      bigEdit,
    }
  } finally {
    ws.close()
    if (!options.keep) rmSync(dir, { recursive: true, force: true })
  }
}
