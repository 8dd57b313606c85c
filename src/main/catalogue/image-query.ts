import type { ImageQuery } from '../../shared/contract'
import type { ClassIndex } from './classes'

export interface SqlWhere {
  sql: string
  params: (string | number)[]
}

/**
 * Turns a UI filter into a WHERE clause over `images i`. Unknown means no label row, never value 0.
 * `denseClasses`: the class filters match a good share of the images (see pageImages).
 */
export function imageWhere(query: ImageQuery, classes: ClassIndex, plan: { denseClasses?: boolean } = {}): SqlWhere {
  const parts: string[] = []
  const params: (string | number)[] = []
  const inList = (column: string, values: readonly (string | number)[]) => {
    parts.push(`${column} IN (${values.map(() => '?').join(', ')})`)
    params.push(...values)
  }
  if (query.datasetIds?.length) inList('i.dataset_id', query.datasetIds)
  if (query.splits?.length) inList('i.split', query.splits)
  if (query.review?.length) inList('i.review_status', query.review)
  if (query.pathContains) {
    // Three characters or more: the trigram index finds candidates; LIKE keeps the match literal.
    if ([...query.pathContains].length >= 3) {
      parts.push('i.id IN (SELECT rowid FROM image_paths WHERE image_paths MATCH ?)')
      params.push(`"${query.pathContains.replace(/"/g, '""')}"`)
    }
    parts.push("i.path LIKE ? ESCAPE '\\'")
    params.push(`%${query.pathContains.replace(/[\\%_]/g, (c) => '\\' + c)}%`)
  }
  faceWhere(query.faces, parts, params)
  for (const [n, filter] of (query.classes ?? []).entries()) {
    const classId = classes.id(filter.code, `classes[${n}].code`)
    if (filter.state === 'unknown') {
      parts.push('NOT EXISTS (SELECT 1 FROM labels l WHERE l.image_id = i.id AND l.class_id = ?)')
      params.push(classId)
    } else {
      // A common label: walk images in order and stop at a full page. A rare one: start from the
      // labels index instead of walking every image to find it.
      // An intensity filter reads the partial index of coded intensities (migration 0007).
      const intensity = filter.atLeast === undefined ? '' : ' AND l.intensity >= ?'
      parts.push(
        plan.denseClasses
          ? `EXISTS (SELECT 1 FROM labels l WHERE l.image_id = i.id AND l.class_id = ? AND l.value = ?${intensity})`
          : `i.id IN (SELECT l.image_id FROM labels l WHERE l.class_id = ? AND l.value = ?${intensity})`,
      )
      params.push(
        classId,
        filter.state === 'present' ? 1 : 0,
        ...(filter.atLeast === undefined ? [] : [filter.atLeast]),
      )
    }
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params }
}

/** The faces filter: a detector score below a value, "not a face", photos with at least N faces. */
function faceWhere(faces: ImageQuery['faces'], parts: string[], params: (string | number)[]): void {
  if (!faces) return
  if (faces.scoreBelow !== undefined) {
    parts.push('i.face_score < ?')
    params.push(faces.scoreBelow)
  }
  if (faces.notAFace !== undefined) {
    parts.push('i.not_a_face = ?')
    params.push(faces.notAFace ? 1 : 0)
  }
  if (faces.perPhotoAtLeast !== undefined) {
    parts.push(
      'i.source_path IS NOT NULL AND (SELECT count(*) FROM images s WHERE s.dataset_id = i.dataset_id AND s.source_path = i.source_path) >= ?',
    )
    params.push(faces.perPhotoAtLeast)
  }
}
