import type { Database } from 'better-sqlite3'
import type { z } from 'zod'
import type { selectionSchema } from '../../shared/contract/labelling'
import { WorkbenchError } from '../../shared/errors'
import { runNow, type Steps } from '../db/paced'
import { plucked } from '../db/statements'
import { browsePlan, fromWhere } from './browse-plan'

/** A grid selection: image ids, or a filter minus exceptions. */
export type SelectionInput = z.output<typeof selectionSchema>

const STEP = 5_000

/** The image ids of a grid selection, in steps: the ids given (each checked), or every match of a filter minus exceptions. */
export function* selectedSteps(db: Database, selection: SelectionInput): Steps<number[]> {
  if ('ids' in selection) {
    const lookup = plucked<number>(db, 'SELECT id FROM images WHERE id IN (SELECT value FROM json_each(?))')
    for (let start = 0; start < selection.ids.length; start += STEP) {
      const step = selection.ids.slice(start, start + STEP)
      const found = new Set(lookup.all(JSON.stringify(step)))
      const missing = step.findIndex((id) => !found.has(id))
      if (missing >= 0) {
        const n = start + missing
        throw new WorkbenchError('not_found', `No image with id ${selection.ids[n]} (selection.ids[${n}]).`, {
          field: `selection.ids[${n}]`,
          id: selection.ids[n],
        })
      }
      if (start + STEP < selection.ids.length) yield
    }
    return [...new Set(selection.ids)]
  }
  const plan = browsePlan(db, selection.query, 'id')
  const page = plucked<number>(db, `SELECT i.id ${fromWhere(plan, 'i.id > ?')} ORDER BY i.id LIMIT ${STEP}`)
  const except = new Set(selection.except)
  const ids: number[] = []
  for (let last = 0; ;) {
    const step = page.all(...plan.params, last)
    if (!step.length) return ids
    for (const id of step) if (!except.has(id)) ids.push(id)
    if (step.length < STEP) return ids
    last = step[step.length - 1]
    yield
  }
}

/** The image ids of a grid selection: the ids given (each checked), or every match of a filter minus exceptions. */
export const selectedImages = (db: Database, selection: SelectionInput): number[] =>
  runNow(selectedSteps(db, selection))
