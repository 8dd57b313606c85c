import type { Database } from 'better-sqlite3'
import { prepared } from '../db/statements'
import { applyBatch, nextEditId, type Resolved } from '../labels/edit-apply'
import { ChoiceRules } from '../labels/choice-rules'

// The consensus (the labels table) follows the coders while they agree: a label every coder of it
// gave the same value (one coder alone included) becomes that value, written as an ordinary label
// edit (label_events, undo). Where coders disagree the consensus stays as it is until someone
// adjudicates (adjudication.ts). A label no coder codes any more stays too: it may come from an
// import that has no coder.

/** Brings the consensus of these classes of one image in line with the codings; call inside a transaction. */
export function followConsensus(
  db: Database,
  imageId: number,
  classIds: number[],
  meta: { who: string; reason: string },
  now: number,
): number {
  const rows = prepared<{ class_id: number; value: 0 | 1; intensity: number | null }>(
    db,
    `SELECT class_id, value, intensity FROM codings WHERE image_id = ? AND class_id IN (SELECT value FROM json_each(?))`,
  ).all(imageId, JSON.stringify(classIds))
  const byClass = new Map<number, { value: 0 | 1; intensity: number | null }[]>()
  for (const r of rows) byClass.set(r.class_id, [...(byClass.get(r.class_id) ?? []), r])
  const agreed: Resolved[] = []
  for (const [classId, codes] of byClass) {
    const [first] = codes
    if (codes.every((c) => c.value === first.value && c.intensity === first.intensity))
      agreed.push({ imageId, classId, value: first.value, intensity: first.intensity })
  }
  if (!agreed.length) return 0
  const editId = nextEditId(db)
  return applyBatch(
    db,
    new ChoiceRules(db),
    editId,
    { ...meta, undoes: null, mode: 'choose', what: 'The agreed codes' },
    agreed,
    now,
  )
}
