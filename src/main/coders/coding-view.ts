import type { Database } from 'better-sqlite3'
import type { CodingView } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { getImage } from '../catalogue/images'
import { imagePredictions } from '../catalogue/image-predictions'
import { prepared } from '../db/statements'
import type { CoderRow } from './coders'
import { codingsByCoder, codingsOfImage, isBlind } from './coding-rows'

// What a coder sees of an image. Blind coding (issue 14): while the image waits uncommitted in the
// coder's queue, the other coders' codes, the consensus labels and the model's predictions are not
// sent at all (not merely hidden by the page), so no client can read them before committing.

export function codingView(db: Database, coder: CoderRow, imageId: number): CodingView {
  const detail = getImage(db, imageId)
  const blind = isBlind(db, coder.id, imageId)
  const all = codingsByCoder(db, codingsOfImage(db, imageId))
  const mine = all[coder.name] ?? []
  delete all[coder.name]
  const { id, datasetId, dataset, path, split, width, height, reviewStatus } = detail
  return {
    image: { id, datasetId, dataset, path, split, width, height, reviewStatus, labels: blind ? {} : detail.labels },
    coder: coder.name,
    labelSpace: detail.labelSpace,
    mine,
    blind,
    others: blind ? {} : all,
    consensus: blind ? [] : detail.labelDetails,
    predictions: blind ? null : (imagePredictions(db, imageId)?.probabilities ?? null),
  }
}

/** Commits an assigned image: its codes so far stay the blind answer (coding_events); the rest is shown. */
export function commitImage(db: Database, coder: CoderRow, imageId: number, now = Date.now()): CodingView {
  const { changes } = prepared(
    db,
    'UPDATE assignment_items SET committed_at = ? WHERE coder_id = ? AND image_id = ? AND committed_at IS NULL',
  ).run(now, coder.id, imageId)
  if (!changes) {
    const assigned = prepared(db, 'SELECT 1 FROM assignment_items WHERE coder_id = ? AND image_id = ?').get(
      coder.id,
      imageId,
    )
    if (!assigned)
      throw new WorkbenchError('not_found', `Image ${imageId} (imageId) is not in ${coder.name}'s queue.`, {
        field: 'imageId',
        imageId,
        coder: coder.name,
      })
  }
  return codingView(db, coder, imageId)
}
