import type { Database } from 'better-sqlite3'
import type { EditResult, ReviewStatus } from '../../shared/contract'
import { intensityLetter, storedIntensity, type Intensity } from '../../shared/intensity'
import type { LabelValue } from '../../shared/labels'
import { runPaced, type Steps } from '../db/paced'
import { scalar } from '../db/statements'
import { classIndex } from '../catalogue/classes'
import { setReview } from '../catalogue/images'
import { selectedImages, selectedSteps, type SelectionInput } from '../catalogue/selection'
import type { EditMeta, Resolved } from './edit-apply'
import { editSteps } from './edit-writer'

// Bulk edits of a grid selection (catalogue/selection.ts): one label, or the review status, on every
// selected image.

/** Images per batch of a bulk edit: choosing an emotion writes up to one change per emotion. */
const BULK_BATCH = 40

const stateWords = (value: LabelValue | null, intensity: Intensity | null): string =>
  value === 1
    ? intensity
      ? `present at ${intensityLetter(intensity)}`
      : 'present'
    : value === 0
      ? 'absent'
      : 'unknown'

function* bulkSteps(
  db: Database,
  selection: SelectionInput,
  code: string,
  value: LabelValue | null,
  intensity: Intensity | null,
  who: string,
  reason: string,
): Steps<EditResult & { images: number }> {
  const classId = classIndex(db).id(code, 'code')
  const ids = yield* selectedSteps(db, selection)
  const meta: EditMeta = {
    who,
    reason: reason || `bulk edit: ${code} ${stateWords(value, intensity)} on ${ids.length} images`,
    undoes: null,
    mode: 'choose',
    what: 'This bulk edit',
  }
  function* batches(): Generator<Resolved[], void, void> {
    for (let start = 0; start < ids.length; start += BULK_BATCH) {
      yield ids.slice(start, start + BULK_BATCH).map((imageId) => ({ imageId, classId, value, intensity }))
    }
  }
  const result = yield* editSteps(db, meta, batches())
  return { ...result, images: ids.length }
}

/**
 * Sets or clears one label on every selected image as one edit (one undo), logged per image; a
 * present AU may carry a FACS intensity (1-5 = A-E). The one-emotion rule of every edit applies:
 * choosing an emotion marks the image's others absent.
 */
export function bulkEdit(
  db: Database,
  selection: SelectionInput,
  change: { code: string; value: LabelValue | null; intensity?: number | null },
  who: string,
  reason: string,
): Promise<EditResult & { images: number }> {
  const { code, value, intensity } = change
  return runPaced(
    bulkSteps(db, selection, code, value, storedIntensity(value === 1 ? 1 : null, intensity), who, reason),
  )
}

/** Review status of every selected image. */
export function bulkReview(
  db: Database,
  selection: SelectionInput,
  status: ReviewStatus,
): { images: number; changed: number } {
  const ids = selectedImages(db, selection)
  const changed = scalar<number>(
    db,
    'SELECT count(*) FROM images WHERE review_status != ? AND id IN (SELECT value FROM json_each(?))',
    status,
    JSON.stringify(ids),
  )
  setReview(db, ids, status)
  return { images: ids.length, changed }
}
