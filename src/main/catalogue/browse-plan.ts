import type { Database } from 'better-sqlite3'
import type { BrowseFilter, BrowseSort } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { scalar } from '../db/statements'
import { classIndex } from './classes'
import { countImages } from './image-count'
import { imageWhere, type SqlWhere } from './image-query'
import { ensurePredictionScores } from './prediction-scores'

// The catalogue grid's query: images.page's filters and sorts, plus filters and sorts on a run's
// predictions (scores from temp.prediction_scores, see prediction-scores.ts). browse.ts pages it.

const PREDICTION_SORTS: ReadonlySet<BrowseSort> = new Set(['uncertainty', 'disagreement'])
export const SORT_KEYS: Record<BrowseSort, string> = {
  id: 'i.id',
  path: 'i.path',
  dataset: 'i.dataset_id',
  uncertainty: 's.uncertainty',
  disagreement: 's.disagreement',
}

export interface BrowsePlan {
  /** FROM over `images i` (and `s`, the scores, when the run is used). */
  from: string
  /** WHERE conditions, joined by AND. */
  where: string[]
  params: (string | number)[]
  /** The filter needs more than images.page's fast counts. */
  predictionFilters: boolean
  scored: boolean
}

const needsRun = (query: BrowseFilter, sort: BrowseSort): string | null =>
  query.disagreement ? 'disagreement' : query.confidence ? 'confidence' : PREDICTION_SORTS.has(sort) ? 'sort' : null

/** Builds the FROM/WHERE of a grid query; makes sure the run's scores are ready when it is used. */
export function browsePlan(
  db: Database,
  query: BrowseFilter,
  sort: BrowseSort,
  plan: { denseClasses?: boolean } = {},
): BrowsePlan {
  const classes = classIndex(db)
  const field = needsRun(query, sort)
  if (field && query.runId === undefined)
    throw new WorkbenchError(
      'invalid_arguments',
      `Choose a run with predictions (runId) to filter or sort by ${field === 'sort' ? sort : field}.`,
      { field: 'runId' },
    )
  const base: SqlWhere = imageWhere(query, classes, plan)
  const parts = base.sql ? [base.sql.replace(/^WHERE /, '')] : []
  const params = [...base.params]
  const scored = query.runId !== undefined
  if (scored) ensurePredictionScores(db, query.runId!)
  // Prediction sorts and the disagreement filter only make sense on images the run predicted.
  const inner = field !== null && field !== 'confidence'
  if (query.disagreement) {
    if (query.disagreement.code) {
      parts.push(`EXISTS (SELECT 1 FROM predictions p JOIN labels l ON l.image_id = p.image_id AND l.class_id = p.class_id
        WHERE p.run_id = ? AND p.image_id = i.id AND p.class_id = ? AND abs(l.value - p.probability) >= ?)`)
      params.push(query.runId!, classes.id(query.disagreement.code, 'disagreement.code'), query.disagreement.min)
    } else {
      parts.push('s.disagreement >= ?')
      params.push(query.disagreement.min)
    }
  }
  if (query.confidence) {
    parts.push(
      'EXISTS (SELECT 1 FROM predictions p WHERE p.run_id = ? AND p.image_id = i.id AND p.class_id = ? AND p.probability BETWEEN ? AND ?)',
    )
    params.push(
      query.runId!,
      classes.id(query.confidence.code, 'confidence.code'),
      query.confidence.min,
      query.confidence.max,
    )
  }
  const join = !scored
    ? ''
    : inner
      ? ' JOIN temp.prediction_scores s ON s.image_id = i.id'
      : ' LEFT JOIN temp.prediction_scores s ON s.image_id = i.id'
  return { from: `FROM images i${join}`, where: parts, params, predictionFilters: field !== null, scored }
}

/** FROM ... WHERE ... of a plan, with extra conditions (their parameters go after the plan's). */
export const fromWhere = (plan: BrowsePlan, ...extra: string[]): string => {
  const where = [...plan.where, ...extra]
  return `${plan.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`
}

/** ORDER BY for a sort; ties (and equal scores) fall back to the image id in the same direction. */
export function orderBy(sort: BrowseSort, order: 'asc' | 'desc'): string {
  const dir = order === 'desc' ? 'DESC' : 'ASC'
  return sort === 'id' ? `i.id ${dir}` : `${SORT_KEYS[sort]} ${dir}, i.id ${dir}`
}

/** The number of images a grid filter matches (fast counts when no prediction filter is used). */
export function countBrowse(db: Database, query: BrowseFilter, sort: BrowseSort): number {
  const plan = browsePlan(db, query, sort)
  if (!plan.predictionFilters) return countImages(db, query, classIndex(db))
  return scalar<number>(db, `SELECT count(*) ${fromWhere(plan)}`, ...plan.params)
}
