import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ImageQuery } from '../../shared/contract'
import { Workspace } from '../workspace/workspace'
import { classIndex } from './classes'
import { pageImages } from './images'
import { editLabels } from './label-edits'

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

/** Fills a catalogue with synthetic rows shaped like the real mix: emotion-only, AU-only, compound. */
function fill(ws: Workspace, images: number): number {
  const db = ws.db
  const classes = classIndex(db)
  const emotions = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'].map((c) => classes.id(c))
  const aus = [1, 2, 4, 5, 6, 9, 12, 17, 20, 25, 26].map((n) => classes.id(`AU${n}`))
  let labels = 0
  db.transaction(() => {
    const names = ['bench-emotion', 'bench-au', 'bench-compound']
    for (const name of names) db.prepare("INSERT INTO datasets (name, root, format, created_at) VALUES (?, '/bench', 'csv', 0)").run(name)
    for (const id of emotions) db.prepare('INSERT INTO dataset_classes VALUES (1, ?)').run(id)
    for (const id of aus) db.prepare('INSERT INTO dataset_classes VALUES (2, ?)').run(id)
    const image = db.prepare('INSERT INTO images (id, dataset_id, path, sha256, width, height, split) VALUES (?, ?, ?, ?, 64, 64, ?)')
    const label = db.prepare("INSERT INTO labels (image_id, class_id, value, set_by, set_at) VALUES (?, ?, ?, 'bench', 0)")
    let x = 12345
    const rand = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 0x100000000)
    for (let id = 1; id <= images; id++) {
      const dataset = id % 10 < 5 ? 1 : id % 10 < 9 ? 2 : 3
      const split = id % 10 === 0 ? 'test' : id % 10 === 1 ? 'val' : 'train'
      image.run(id, dataset, `d${dataset}/${String(id).padStart(7, '0')}.png`, id.toString(16).padStart(64, '0'), split)
      if (dataset === 1) {
        const e = Math.floor(rand() * emotions.length)
        for (let k = 0; k < emotions.length; k++) label.run(id, emotions[k], k === e ? 1 : 0)
        labels += emotions.length
      } else if (dataset === 2) {
        for (const au of aus) {
          if (rand() < 0.05) continue // a few unknown
          label.run(id, au, rand() < 0.2 ? 1 : 0)
          labels++
        }
      }
    }
  })()
  db.exec('ANALYZE')
  return labels
}

/**
 * Catalogue latency at scale: a filtered page of a 1,000,000-image catalogue (target p95 < 50 ms)
 * and a committed label edit (target < 10 ms), through the same service functions the router calls.
 */
export function runCatalogueBench(options: { images?: number; reps?: number; keep?: string } = {}): CatalogueBenchResult {
  const images = options.images ?? 1_000_000
  const reps = options.reps ?? 40
  const dir = options.keep ?? mkdtempSync(join(tmpdir(), 'affect-bench-'))
  const ws = Workspace.create(join(dir, 'ws'))
  try {
    const t0 = Date.now()
    const labels = fill(ws, images)
    const buildSeconds = (Date.now() - t0) / 1000
    const page = (q: ImageQuery & { offset?: number; sort?: 'id' | 'path' | 'dataset' }) => () => pageImages(ws.db, { sort: q.sort ?? 'id', order: 'asc', offset: q.offset ?? 0, limit: 100, ...q })
    const cases: [string, () => unknown][] = [
      ['all, first page', page({})],
      ['one dataset + split', page({ datasetIds: [2], splits: ['train'] })],
      ['AU12 present', page({ classes: [{ code: 'AU12', state: 'present' }] })],
      ['AU12 unknown', page({ classes: [{ code: 'AU12', state: 'unknown' }] })],
      ['happy absent in dataset 1', page({ datasetIds: [1], classes: [{ code: 'happy', state: 'absent' }] })],
      ['to review, sorted by path', page({ review: ['to_review'], sort: 'path' })],
      ['path text', page({ pathContains: '00042' })],
      ['deep page (offset 500,000)', page({ offset: Math.floor(images / 2) })],
    ]
    const queries = cases.map(([name, fn]) => {
      fn() // warm statement cache and pages
      return stats(name, Array.from({ length: reps }, () => time(fn)))
    })
    const edits: number[] = []
    for (let i = 0; i < 200; i++) {
      const imageId = 1 + ((i * 7919) % images)
      edits.push(time(() => editLabels(ws.db, [{ imageId, code: 'AU12', value: i % 2 ? 1 : 0 }], 'bench', 'benchmark')))
    }
    return { images, labels, buildSeconds, queries, labelEdit: stats('label edit (commit)', edits) }
  } finally {
    ws.close()
    if (!options.keep) rmSync(dir, { recursive: true, force: true })
  }
}
