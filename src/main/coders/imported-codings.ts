import type { Database } from 'better-sqlite3'
import { prepared } from '../db/statements'
import { ensureCoder } from './coders'

// An imported label is the answer of the import's annotator (its set_by: "import:csv", "demo
// generator"): it becomes their coding as well as the consensus, as migration 0008 did for the labels
// of earlier versions, so that a second coder's codes later stand beside it and agreement counts the
// image. Written with the labels, in the import's transaction.

/** A writer of one imported label as the annotator's coding; call inside the import's transaction. */
export function importedCodings(db: Database, annotator: string, now: number) {
  const coder = ensureCoder(db, annotator, now)
  const insert = prepared(
    db,
    `INSERT INTO codings (image_id, class_id, coder_id, value, intensity, set_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (image_id, class_id, coder_id) DO UPDATE SET value = excluded.value, intensity = excluded.intensity, set_at = excluded.set_at`,
  )
  return (imageId: number, classId: number, value: 0 | 1, intensity: number | null): void => {
    insert.run(imageId, classId, coder.id, value, intensity, now)
  }
}
