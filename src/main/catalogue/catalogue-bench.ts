import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ImageQuery } from '../../shared/contract'
import { Workspace } from '../workspace/workspace'
import { pageImages } from './images'
import { editLabels } from './label-edits'
import { buildSyntheticWorkspace } from './synthetic-workspace'

export interface LatencyStats { name: string; p50: number; p95: number; max: number; runs: number }
export interface CatalogueBenchResult { images: number; labels: number; buildSeconds: number; queries: LatencyStats[]; labelEdit: LatencyStats }

function stats(name: string, samples: number[]): LatencyStats {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]
  return { name, p50: at(0.5), p95: at(0.95), max: s[s.length - 1], runs: s.length }
}

function time(fn: () => unknown): number {
  const t = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - t) / 1e6
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t) / 1e6
}

/**
 * Catalogue latency at scale: a filtered page of a 1,000,000-image catalogue (target p95 < 50 ms)
 * and a committed label edit (target < 10 ms), through the same service functions the router calls.
 */
export async function runCatalogueBench(options: { images?: number; reps?: number; keep?: string } = {}): Promise<CatalogueBenchResult> {
  const images = options.images ?? 1_000_000
  const reps = options.reps ?? 40
  const dir = options.keep ?? mkdtempSync(join(tmpdir(), 'affect-bench-'))
  const t0 = Date.now()
  buildSyntheticWorkspace(join(dir, 'ws'), images)
  const buildSeconds = (Date.now() - t0) / 1000
  const ws = Workspace.open(join(dir, 'ws'))
  try {
    const labels = (ws.db.prepare('SELECT count(*) AS n FROM labels').get() as { n: number }).n
    const page = (q: ImageQuery & { offset?: number; sort?: 'id' | 'path' | 'dataset' }) => () => pageImages(ws.db, { sort: q.sort ?? 'id', order: 'asc', offset: q.offset ?? 0, limit: 100, ...q })
    const cases: [string, () => unknown][] = [
      ['all, first page', page({})],
      ['one dataset + split', page({ datasetIds: [2], splits: ['train'] })],
      ['AU12 present', page({ classes: [{ code: 'AU12', state: 'present' }] })],
      ['AU12 unknown', page({ classes: [{ code: 'AU12', state: 'unknown' }] })],
      ['happy absent in dataset 1', page({ datasetIds: [1], classes: [{ code: 'happy', state: 'absent' }] })],
      ['to review, sorted by path', page({ review: ['to_review'], sort: 'path' })],
      ['path text', page({ pathContains: '00042' })],
      [`deep page (offset ${Math.floor(images / 2).toLocaleString('en')})`, page({ offset: Math.floor(images / 2) })],
    ]
    const queries = cases.map(([name, fn]) => {
      fn() // warm statement cache and pages
      return stats(name, Array.from({ length: reps }, () => time(fn)))
    })
    const edits: number[] = []
    for (let i = 0; i < 200; i++) {
      const imageId = 1 + ((i * 7919) % images)
      edits.push(await timeAsync(() => editLabels(ws.db, [{ imageId, code: 'AU12', value: i % 2 ? 1 : 0 }], 'bench', 'benchmark')))
    }
    return { images, labels, buildSeconds, queries, labelEdit: stats('label edit (commit)', edits) }
  } finally {
    ws.close()
    if (!options.keep) rmSync(dir, { recursive: true, force: true })
  }
}
