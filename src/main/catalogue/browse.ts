import type { Database } from 'better-sqlite3'
import type { z } from 'zod'
import type { BrowseFilter, BrowseItem, BrowsePage, BrowseSort, ImagePage } from '../../shared/contract'
import type { imagePageSchema } from '../../shared/contract/catalogue'
import type { browsePageSchema } from '../../shared/contract/labelling'
import type { LabelValue } from '../../shared/labels'
import { prepared, scalar } from '../db/statements'
import { IMAGE_LIST_COLUMNS, imageSummaryOf, type ImageListRow } from './catalogue-rows'
import { browsePlan, countBrowse, fromWhere, SORT_KEYS, type BrowsePlan } from './browse-plan'
import { classIndex } from './classes'
import { countImages } from './image-count'
import { knownLabels } from './images'
import { cachedTotal, pageIds } from './page-anchors'
import type { PredictionScoreRow } from './prediction-scores'
import { runPaced, type Steps } from '../db/paced'

// Pages of the catalogue grid, and where an image sits in it.

/** A grid row: the image, and its run's scores when the page is sorted or filtered by them (`scored`: the scores' image id, or null). */
type Row = ImageListRow & { [K in 'uncertainty' | 'disagreement']: PredictionScoreRow[K] | null } & {
  scored: number | null
}

/** A page of the catalogue grid: keyset paging from the nearest anchor (page-anchors.ts), then the rows. */
function* browseSteps(db: Database, args: z.output<typeof browsePageSchema>): Steps<BrowsePage> {
  const { offset, limit, ...query } = args
  const readsLabels = !!(args.classes?.length || args.disagreement)
  const page = { signature: JSON.stringify(query), sort: args.sort, order: args.order, readsLabels, runId: args.runId }
  const total = cachedTotal(db, { ...page, plan: browsePlan(db, args, args.sort) }, () =>
    countBrowse(db, args, args.sort),
  )
  const candidates = args.classes?.length ? countImages(db, { ...args, classes: [] }, classIndex(db)) : total
  const plan = browsePlan(db, args, args.sort, { denseClasses: total > 0.05 * candidates })
  const ids = yield* pageIds(db, { ...page, plan }, offset, limit)
  const scores = plan.scored
    ? 's.uncertainty, s.disagreement, s.image_id AS scored'
    : 'NULL AS uncertainty, NULL AS disagreement, NULL AS scored'
  const join = plan.scored ? ' LEFT JOIN temp.prediction_scores s ON s.image_id = i.id' : ''
  const found = prepared<Row>(
    db,
    `SELECT ${IMAGE_LIST_COLUMNS}, ${scores}
    FROM images i JOIN datasets d ON d.id = i.dataset_id${join} WHERE i.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids))
  const byId = new Map(found.map((r) => [r.id, r]))
  const rows = ids.map((id) => byId.get(id)!)
  const labels = knownLabels(db, ids)
  return { total, offset, items: rows.map((r) => item(r, labels.get(r.id)!)) }
}

/** A page of the catalogue grid (images.browse). */
export const browseImages = (db: Database, args: z.output<typeof browsePageSchema>): Promise<BrowsePage> =>
  runPaced(browseSteps(db, args))

/** A page of images matching filters, with the total count (images.page: the grid's query without a run). */
export async function pageImages(db: Database, args: z.output<typeof imagePageSchema>): Promise<ImagePage> {
  const page = await browseImages(db, args)
  return { ...page, items: page.items.map(({ scores: _scores, ...summary }) => summary) }
}

function item(r: Row, labels: Record<string, LabelValue>): BrowseItem {
  const out: BrowseItem = imageSummaryOf(r, labels)
  if (r.scored !== null) out.scores = { uncertainty: r.uncertainty!, disagreement: r.disagreement }
  return out
}

/** Where an image sits in a sorted grid query: the number of matches before it (null if it does not match). */
export function imagePosition(
  db: Database,
  query: BrowseFilter,
  sort: BrowseSort,
  order: 'asc' | 'desc',
  id: number,
): { index: number | null; total: number } {
  const plan = browsePlan(db, query, sort)
  const total = countBrowse(db, query, sort)
  const key = SORT_KEYS[sort]
  const self = prepared<{ k: string | number | null }>(db, `SELECT ${key} AS k ${fromWhere(plan, 'i.id = ?')}`).get(
    ...plan.params,
    id,
  )
  if (!self) return { index: null, total }
  const before = order === 'desc' ? '>' : '<'
  // NULL scores sort first ascending and last descending, as ORDER BY puts them.
  const earlier =
    sort === 'id'
      ? `i.id ${before} ?`
      : self.k === null
        ? `(${key} IS NULL AND i.id ${before} ?)`
        : `((${key}, i.id) ${before} (?, ?)${order === 'desc' ? '' : ` OR ${key} IS NULL`})`
  const params = sort === 'id' ? [id] : self.k === null ? [id] : [self.k, id]
  const index = scalar<number>(db, `SELECT count(*) ${fromWhere(plan, earlier)}`, ...plan.params, ...params)
  return {
    index: order === 'desc' && self.k === null && sort !== 'id' ? index + countNonNull(db, plan, key) : index,
    total,
  }
}

/** Descending, rows with a score all come before a row without one. */
function countNonNull(db: Database, plan: BrowsePlan, key: string): number {
  return scalar<number>(db, `SELECT count(*) ${fromWhere(plan, `${key} IS NOT NULL`)}`, ...plan.params)
}
