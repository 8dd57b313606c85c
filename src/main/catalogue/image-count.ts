import type { Database } from 'better-sqlite3'
import type { ImageQuery } from '../../shared/contract'
import { scalar } from '../db/statements'
import type { ClassIndex } from './classes'
import { imageWhere } from './image-query'

const inList = (
  column: string,
  values: readonly (string | number)[] | undefined,
  params: (string | number)[],
): string => {
  if (!values?.length) return ''
  params.push(...values)
  return ` AND ${column} IN (${values.map(() => '?').join(',')})`
}

/**
 * The number of images matching a filter. Filters made of datasets, splits, review status and at
 * most one class state (without an intensity) are answered from the counts the triggers keep (migration 0003), in well
 * under a millisecond at a million images; anything else is counted row by row.
 */
export function countImages(db: Database, query: ImageQuery, classes: ClassIndex): number {
  const classFilters = query.classes ?? []
  const fromCounts =
    !query.pathContains &&
    !query.faces &&
    classFilters.length <= 1 &&
    !(classFilters.length && query.review?.length) &&
    classFilters[0]?.atLeast === undefined
  if (!fromCounts) {
    const where = imageWhere(query, classes)
    return scalar<number>(db, `SELECT count(*) FROM images i ${where.sql}`, ...where.params)
  }
  const imageParams: (string | number)[] = []
  const imageFilter = inList('dataset_id', query.datasetIds, imageParams) + inList('split', query.splits, imageParams)
  const images = () =>
    scalar<number>(
      db,
      `SELECT coalesce(sum(n), 0) FROM image_counts WHERE 1 ${imageFilter}${inList('review_status', query.review, imageParams)}`,
      ...imageParams,
    )
  if (!classFilters.length) return images()
  const { code, state } = classFilters[0]
  const params: (string | number)[] = [classes.id(code, 'classes[0].code')]
  const valueFilter = state === 'unknown' ? '' : ` AND value = ${state === 'present' ? 1 : 0}`
  const known = scalar<number>(
    db,
    `SELECT coalesce(sum(n), 0) FROM label_counts WHERE class_id = ?${valueFilter}${inList('dataset_id', query.datasetIds, params)}${inList('split', query.splits, params)}`,
    ...params,
  )
  return state === 'unknown' ? images() - known : known
}
