import type { Database } from 'better-sqlite3'
import type { BrowseSort } from '../../shared/contract'
import { plucked, prepared } from '../db/statements'
import type { LabelEventRow } from '../labels/label-rows'
import type { PredictionSetRow } from '../runs/run-rows'
import type { ImageCountRow, ImageRow, LabelCountRow } from './catalogue-rows'
import { fromWhere, orderBy, SORT_KEYS, type BrowsePlan } from './browse-plan'
import type { Steps } from '../db/paced'

// Keyset paging for the catalogue grid. The grid is a virtual scroller that can jump anywhere, so
// it asks for "the page at position 500,000", which OFFSET answers by walking 500,000 rows each
// time. Instead, the first time a filter and sort are browsed, every ANCHOR_EVERY-th row's sort key
// is noted as the walk goes (only as far as the pages asked for); a page then starts with a keyset
// seek from the nearest anchor and walks fewer than ANCHOR_EVERY rows. Anchors are kept per query
// while the data they were computed on is unchanged (see stampOf), and computed again after.

export const ANCHOR_EVERY = 1000
/** Queries whose anchors are kept (the grid, the label view, a few filters back). */
const KEPT = 16
/** A long walk gives the event loop back this often (ms). */
const WALK_SLICE_MS = 20

type SqlValue = string | number | null
interface Anchor {
  key: SqlValue
  id: number
}
interface AnchorSet {
  stamp: string
  anchors: Anchor[]
  end: boolean
  total: number | null
}

const caches = new WeakMap<Database, Map<string, AnchorSet>>()
const reviewVersions = new WeakMap<Database, number>()

/** Review status changes leave no other trace a stamp could read: setReview calls this. */
export function reviewChanged(db: Database): void {
  reviewVersions.set(db, (reviewVersions.get(db) ?? 0) + 1)
}

/**
 * What a query's anchors depend on: writes by other connections, images added or removed, review
 * changes, and (for filters and sorts that read them) labels and the run's predictions. A label
 * edit leaves the anchors of a filter on datasets and splits alone.
 */
function stampOf(db: Database, { plan, readsLabels, runId }: PageQuery): string {
  const parts: SqlValue[] = [db.pragma('data_version', { simple: true }) as number, reviewVersions.get(db) ?? 0]
  const images = prepared<{ n: ImageCountRow['n']; last: ImageRow['id'] }>(
    db,
    'SELECT (SELECT coalesce(sum(n), 0) FROM image_counts) AS n, (SELECT coalesce(max(id), 0) FROM images) AS last',
  ).get()!
  parts.push(images.n, images.last)
  if (readsLabels || plan.scored) {
    const labels = prepared<{ event: LabelEventRow['id']; n: LabelCountRow['n'] }>(
      db,
      'SELECT (SELECT coalesce(max(id), 0) FROM label_events) AS event, (SELECT coalesce(sum(n), 0) FROM label_counts) AS n',
    ).get()!
    parts.push(labels.event, labels.n)
  }
  if (runId !== undefined)
    parts.push(
      runId,
      plucked<PredictionSetRow['created_at']>(db, 'SELECT created_at FROM prediction_sets WHERE run_id = ?').get(
        runId,
      ) ?? null,
    )
  return parts.join(':')
}

function anchorSet(db: Database, signature: string, stamp: string): AnchorSet {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  let set = cache.get(signature)
  if (set?.stamp !== stamp) set = { stamp, anchors: [], end: false, total: null }
  // Most recently used last; the oldest goes first.
  cache.delete(signature)
  cache.set(signature, set)
  if (cache.size > KEPT) cache.delete(cache.keys().next().value!)
  return set
}

/** Rows at or after an anchor, in the sort's order (NULL scores first ascending, last descending). */
function atOrAfter(sort: BrowseSort, order: 'asc' | 'desc', a: Anchor): { sql: string; params: SqlValue[] } {
  const key = SORT_KEYS[sort]
  if (sort === 'id') return { sql: order === 'asc' ? 'i.id >= ?' : 'i.id <= ?', params: [a.id] }
  if (order === 'asc')
    return a.key === null
      ? { sql: `((${key} IS NULL AND i.id >= ?) OR ${key} IS NOT NULL)`, params: [a.id] }
      : { sql: `(${key}, i.id) >= (?, ?)`, params: [a.key, a.id] }
  return a.key === null
    ? { sql: `(${key} IS NULL AND i.id <= ?)`, params: [a.id] }
    : { sql: `((${key}, i.id) <= (?, ?) OR ${key} IS NULL)`, params: [a.key, a.id] }
}

export interface PageQuery {
  /** The query's identity: its filter, sort and order (not the page). */
  signature: string
  plan: BrowsePlan
  sort: BrowseSort
  order: 'asc' | 'desc'
  /** The filter or sort reads labels (class filters, disagreement): label edits move its rows. */
  readsLabels: boolean
  /** The run whose predictions it uses, if any. */
  runId?: number
}

/** Walks from the last anchor to the next, as far as anchor `k`. */
function* extend(db: Database, q: PageQuery, set: AnchorSet, k: number): Steps<void> {
  const select = `SELECT ${SORT_KEYS[q.sort]} AS key, i.id AS id`
  const order = orderBy(q.sort, q.order)
  let slice = Date.now()
  while (set.anchors.length <= k && !set.end) {
    const last = set.anchors.at(-1)
    const next = last
      ? (() => {
          const seek = atOrAfter(q.sort, q.order, last)
          return prepared(
            db,
            `${select} ${fromWhere(q.plan, seek.sql)} ORDER BY ${order} LIMIT 1 OFFSET ${ANCHOR_EVERY}`,
          ).get(...q.plan.params, ...seek.params)
        })()
      : prepared(db, `${select} ${fromWhere(q.plan)} ORDER BY ${order} LIMIT 1`).get(...q.plan.params)
    if (next) set.anchors.push(next as Anchor)
    else set.end = true
    if (Date.now() - slice > WALK_SLICE_MS) {
      yield
      slice = Date.now()
    }
  }
}

/** The ids of the rows at positions offset .. offset + limit - 1 of a grid query. */
export function* pageIds(db: Database, q: PageQuery, offset: number, limit: number): Steps<number[]> {
  const set = anchorSet(db, q.signature, stampOf(db, q))
  const k = Math.floor(offset / ANCHOR_EVERY)
  yield* extend(db, q, set, k)
  const anchor = set.anchors[k]
  if (!anchor) return []
  const seek = atOrAfter(q.sort, q.order, anchor)
  return plucked<number>(
    db,
    `SELECT i.id ${fromWhere(q.plan, seek.sql)} ORDER BY ${orderBy(q.sort, q.order)} LIMIT ? OFFSET ?`,
  ).all(...q.plan.params, ...seek.params, limit, offset - k * ANCHOR_EVERY)
}

/** The number of matches, counted once per query and data stamp (a row-by-row count can take a while). */
export function cachedTotal(db: Database, q: PageQuery, count: () => number): number {
  const set = anchorSet(db, q.signature, stampOf(db, q))
  set.total ??= count()
  return set.total
}
