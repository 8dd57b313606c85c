import type { Database } from 'better-sqlite3'
import type { z } from 'zod'
import { labelChangesFor, type EditResult, type ReviewStatus } from '../../shared/contract'
import type { selectionSchema } from '../../shared/contract/labelling'
import type { LabelValue } from '../../shared/labels'
import { WorkbenchError } from '../../shared/errors'
import { prepared } from '../db/statements'
import { browsePlan, fromWhere } from './browse'
import { classIndex } from './classes'
import { knownLabels, setReview } from './images'
import { applyLabelChanges } from './label-edits'

type SelectionInput = z.output<typeof selectionSchema>

/** The image ids of a grid selection: the ids given (each checked), or every match of a filter minus exceptions. */
export function selectedImages(db: Database, selection: SelectionInput): number[] {
  if ('ids' in selection) {
    const exists = prepared(db, 'SELECT 1 FROM images WHERE id = ?')
    for (const [n, id] of selection.ids.entries()) {
      if (!exists.get(id)) throw new WorkbenchError('not_found', `No image with id ${id} (selection.ids[${n}]).`, { field: `selection.ids[${n}]`, id })
    }
    return [...new Set(selection.ids)]
  }
  const plan = browsePlan(db, selection.query, 'id')
  const ids = (prepared(db, `SELECT i.id ${fromWhere(plan)} ORDER BY i.id`).all(...plan.params) as { id: number }[]).map((r) => r.id)
  if (!selection.except.length) return ids
  const except = new Set(selection.except)
  return ids.filter((id) => !except.has(id))
}

/** The label spaces of the datasets, as code lists by dataset id. */
function labelSpaces(db: Database): Map<number, string[]> {
  const classes = classIndex(db)
  const spaces = new Map<number, string[]>()
  for (const r of prepared(db, 'SELECT dc.dataset_id, dc.class_id FROM dataset_classes dc JOIN classes c ON c.id = dc.class_id ORDER BY c.position').all() as { dataset_id: number; class_id: number }[]) {
    if (!spaces.has(r.dataset_id)) spaces.set(r.dataset_id, [])
    spaces.get(r.dataset_id)!.push(classes.code(r.class_id))
  }
  return spaces
}

const BATCH = 5_000

/**
 * Sets or clears one label on every selected image as one edit (one undo), logged per image. The
 * same rule as the label view keeps emotions single-choice per image (labelChangesFor).
 */
export function bulkEdit(db: Database, selection: SelectionInput, code: string, value: LabelValue | null, who: string, reason: string): EditResult & { images: number } {
  const classes = classIndex(db)
  const classId = classes.id(code, 'code')
  const ids = selectedImages(db, selection)
  const spaces = labelSpaces(db)
  const datasetRow = prepared(db, 'SELECT dataset_id FROM images WHERE id = ?')
  const datasetOf = (id: number) => (datasetRow.get(id) as { dataset_id: number }).dataset_id
  const changes: { imageId: number; classId: number; value: LabelValue | null; intensity: null }[] = []
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH)
    const labels = knownLabels(db, batch)
    for (const id of batch) {
      const image = { id, labelSpace: spaces.get(datasetOf(id)) ?? [], labels: labels.get(id)! }
      for (const c of labelChangesFor(image, classes.list, code, value)) changes.push({ imageId: id, classId: c.code === code ? classId : classes.id(c.code), value: c.value, intensity: null })
    }
  }
  const result = applyLabelChanges(db, changes, who, reason || `bulk edit: ${code} ${value === 1 ? 'present' : value === 0 ? 'absent' : 'unknown'} on ${ids.length} images`)
  return { ...result, images: ids.length }
}

/** Review status of every selected image. */
export function bulkReview(db: Database, selection: SelectionInput, status: ReviewStatus): { images: number; changed: number } {
  const ids = selectedImages(db, selection)
  const changed = (prepared(db, 'SELECT count(*) AS n FROM images WHERE review_status != ? AND id IN (SELECT value FROM json_each(?))').get(status, JSON.stringify(ids)) as { n: number }).n
  setReview(db, ids, status)
  return { images: ids.length, changed }
}
