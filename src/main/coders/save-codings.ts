import type { Database } from 'better-sqlite3'
import { completeChoice, isChoiceConflict, type CodeChange } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { LabelValue } from '../../shared/labels'
import { classIndex } from '../catalogue/classes'
import { requireImage } from '../catalogue/images'
import { prepared } from '../db/statements'
import { ChoiceRules, choiceError } from '../labels/choice-rules'
import type { CoderRow } from './coders'
import { isBlind, type CodingRow } from './coding-rows'
import { followConsensus } from './consensus'

// A coder's codes of one image: checked against the image's dataset (a class outside its label
// space is refused by name), completed by the one-emotion rule on the coder's own codes, then written
// with their history in one transaction together with the consensus they imply (consensus.ts), so
// nothing is ever half-written.

export interface Wanted {
  classId: number
  value: LabelValue | null
  intensity: number | null
}

/** The changes with class ids, refusing codes outside the dataset's classes by name. */
export function resolveCodes(
  db: Database,
  datasetId: number,
  dataset: string,
  changes: CodeChange[],
): Map<number, Wanted> {
  const classes = classIndex(db)
  const space = new Set(
    prepared<{ class_id: number }>(db, 'SELECT class_id FROM dataset_classes WHERE dataset_id = ?')
      .all(datasetId)
      .map((r) => r.class_id),
  )
  const out = new Map<number, Wanted>()
  changes.forEach((c, n) => {
    const classId = classes.id(c.code, `changes[${n}].code`)
    if (!space.has(classId))
      throw new WorkbenchError(
        'invalid_arguments',
        `"${c.code}" (changes[${n}].code) is not a class of dataset "${dataset}": code only the classes it annotates. Nothing was saved.`,
        { field: `changes[${n}].code`, code: c.code, dataset },
      )
    const intensity = c.value === 1 ? (c.intensity ?? null) : null
    out.set(classId, { classId, value: c.value, intensity })
  })
  return out
}

function completedByChoice(
  db: Database,
  imageId: number,
  datasetId: number,
  mine: CodingRow[],
  wanted: Map<number, Wanted>,
) {
  const rules = new ChoiceRules(db)
  const { classes } = rules
  const labels = Object.fromEntries(mine.map((r) => [classes.code(r.class_id), r.value]))
  const byCode = new Map([...wanted.values()].map((w) => [classes.code(w.classId), w.value]))
  const result = completeChoice(rules.image(imageId, datasetId, labels), classes.list, byCode)
  if (isChoiceConflict(result)) throw choiceError(result, rules.datasetName(datasetId), { kind: 'edit', fields: [] })
  const out = new Map(wanted)
  for (const [code, value] of result) {
    const classId = classes.id(code)
    if (!out.has(classId)) out.set(classId, { classId, value, intensity: null })
  }
  return out
}

/** Writes a coder's codes of one image; returns how many codes and consensus labels changed. */
export function saveCodings(
  db: Database,
  coder: CoderRow,
  imageId: number,
  changes: CodeChange[],
  reason: string,
  now = Date.now(),
): { changed: number; consensusChanged: number } {
  const image = requireImage(db, imageId, 'imageId')
  const wanted = resolveCodes(db, image.dataset_id, image.dataset, changes)
  return db.transaction(() => {
    const mine = prepared<CodingRow>(db, 'SELECT * FROM codings WHERE image_id = ? AND coder_id = ?').all(
      imageId,
      coder.id,
    )
    const final = completedByChoice(db, imageId, image.dataset_id, mine, wanted)
    const current = new Map(mine.map((r) => [r.class_id, r]))
    const blind = isBlind(db, coder.id, imageId) ? 1 : 0
    const touched: number[] = []
    for (const w of final.values()) {
      const old = current.get(w.classId)
      if ((old?.value ?? null) === w.value && (w.value === null || (old?.intensity ?? null) === w.intensity)) continue
      if (w.value === null)
        prepared(db, 'DELETE FROM codings WHERE image_id = ? AND class_id = ? AND coder_id = ?').run(
          imageId,
          w.classId,
          coder.id,
        )
      else
        prepared(
          db,
          `INSERT INTO codings (image_id, class_id, coder_id, value, intensity, set_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (image_id, class_id, coder_id) DO UPDATE SET value = excluded.value, intensity = excluded.intensity, set_at = excluded.set_at`,
        ).run(imageId, w.classId, coder.id, w.value, w.intensity, now)
      prepared(
        db,
        `INSERT INTO coding_events (image_id, class_id, coder_id, old_value, new_value, old_intensity, new_intensity, blind, at, reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        imageId,
        w.classId,
        coder.id,
        old?.value ?? null,
        w.value,
        old?.intensity ?? null,
        w.intensity,
        blind,
        now,
        reason,
      )
      touched.push(w.classId)
    }
    const consensusChanged = touched.length
      ? followConsensus(db, imageId, touched, { who: coder.name, reason: reason || `coding by ${coder.name}` }, now)
      : 0
    return { changed: touched.length, consensusChanged }
  })()
}
