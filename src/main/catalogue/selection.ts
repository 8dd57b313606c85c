import type { Database } from 'better-sqlite3'
import type { z } from 'zod'
import type { EditResult, ReviewStatus } from '../../shared/contract'
import type { selectionSchema } from '../../shared/contract/labelling'
import type { LabelValue } from '../../shared/labels'
import { WorkbenchError } from '../../shared/errors'
import { prepared } from '../db/statements'
import { browsePlan, fromWhere } from './browse-plan'
import { classIndex } from './classes'
import type { EditMeta, Resolved } from './edit-apply'
import { editSteps } from './edit-writer'
import { setReview } from './images'
import { runNow, runPaced, type Steps } from './paced'

type SelectionInput = z.output<typeof selectionSchema>

const STEP = 5_000

/** The image ids of a grid selection, in steps: the ids given (each checked), or every match of a filter minus exceptions. */
function* selectedSteps(db: Database, selection: SelectionInput): Steps<number[]> {
  if ('ids' in selection) {
    const lookup = prepared(db, 'SELECT id FROM images WHERE id IN (SELECT value FROM json_each(?))').pluck()
    for (let start = 0; start < selection.ids.length; start += STEP) {
      const step = selection.ids.slice(start, start + STEP)
      const found = new Set(lookup.all(JSON.stringify(step)) as number[])
      const missing = step.findIndex((id) => !found.has(id))
      if (missing >= 0) {
        const n = start + missing
        throw new WorkbenchError('not_found', `No image with id ${selection.ids[n]} (selection.ids[${n}]).`, { field: `selection.ids[${n}]`, id: selection.ids[n] })
      }
      if (start + STEP < selection.ids.length) yield
    }
    return [...new Set(selection.ids)]
  }
  const plan = browsePlan(db, selection.query, 'id')
  const page = prepared(db, `SELECT i.id ${fromWhere(plan, 'i.id > ?')} ORDER BY i.id LIMIT ${STEP}`).pluck()
  const except = new Set(selection.except)
  const ids: number[] = []
  for (let last = 0; ; ) {
    const step = page.all(...plan.params, last) as number[]
    if (!step.length) return ids
    for (const id of step) if (!except.has(id)) ids.push(id)
    if (step.length < STEP) return ids
    last = step[step.length - 1]
    yield
  }
}

/** The image ids of a grid selection: the ids given (each checked), or every match of a filter minus exceptions. */
export const selectedImages = (db: Database, selection: SelectionInput): number[] => runNow(selectedSteps(db, selection))

/** Images per batch of a bulk edit: choosing an emotion writes up to one change per emotion. */
const BULK_BATCH = 40

function* bulkSteps(db: Database, selection: SelectionInput, code: string, value: LabelValue | null, who: string, reason: string): Steps<EditResult & { images: number }> {
  const classId = classIndex(db).id(code, 'code')
  const ids = yield* selectedSteps(db, selection)
  const meta: EditMeta = { who, reason: reason || `bulk edit: ${code} ${value === 1 ? 'present' : value === 0 ? 'absent' : 'unknown'} on ${ids.length} images`, undoes: null, mode: 'choose', what: 'This bulk edit' }
  function* batches(): Generator<Resolved[], void, void> {
    for (let start = 0; start < ids.length; start += BULK_BATCH) {
      yield ids.slice(start, start + BULK_BATCH).map((imageId) => ({ imageId, classId, value, intensity: null }))
    }
  }
  const result = yield* editSteps(db, meta, batches())
  return { ...result, images: ids.length }
}

/**
 * Sets or clears one label on every selected image as one edit (one undo), logged per image. The
 * one-emotion rule of every edit applies: choosing an emotion marks the image's others absent.
 */
export function bulkEdit(db: Database, selection: SelectionInput, code: string, value: LabelValue | null, who: string, reason: string): Promise<EditResult & { images: number }> {
  return runPaced(bulkSteps(db, selection, code, value, who, reason))
}

/** Review status of every selected image. */
export function bulkReview(db: Database, selection: SelectionInput, status: ReviewStatus): { images: number; changed: number } {
  const ids = selectedImages(db, selection)
  const changed = (prepared(db, 'SELECT count(*) AS n FROM images WHERE review_status != ? AND id IN (SELECT value FROM json_each(?))').get(status, JSON.stringify(ids)) as { n: number }).n
  setReview(db, ids, status)
  return { images: ids.length, changed }
}
