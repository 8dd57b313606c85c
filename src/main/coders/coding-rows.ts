import type { Database } from 'better-sqlite3'
import type { Coding } from '../../shared/contract'
import type { LabelValue } from '../../shared/labels'
import { classIndex } from '../catalogue/classes'
import { isoTime } from '../catalogue/time'
import { prepared } from '../db/statements'

// The codings table (migration 0008) as SQLite returns it, and the reads every coder service shares.

export interface CodingRow {
  image_id: number
  class_id: number
  coder_id: number
  value: LabelValue
  intensity: number | null
  set_at: number
}

export type CodingWithCoder = CodingRow & { coder: string }

export const codingOf = (r: CodingRow, code: (classId: number) => string): Coding => ({
  code: code(r.class_id),
  value: r.value,
  intensity: r.intensity,
  at: isoTime(r.set_at),
})

/** Every coding of one image, with the coder's name, in class order. */
export function codingsOfImage(db: Database, imageId: number): CodingWithCoder[] {
  return prepared<CodingWithCoder>(
    db,
    `SELECT k.*, c.name AS coder FROM codings k JOIN coders c ON c.id = k.coder_id JOIN classes cl ON cl.id = k.class_id
    WHERE k.image_id = ? ORDER BY c.id, cl.position`,
  ).all(imageId)
}

/** Codings grouped by coder name, as the contract shows them side by side. */
export function codingsByCoder(db: Database, rows: CodingWithCoder[]): Record<string, Coding[]> {
  const classes = classIndex(db)
  const out: Record<string, Coding[]> = {}
  for (const r of rows) (out[r.coder] ??= []).push(codingOf(r, (c) => classes.code(c)))
  return out
}

/** Whether the image waits in the coder's queue uncommitted: while so, the others' codes are hidden from them. */
export const isBlind = (db: Database, coderId: number, imageId: number): boolean =>
  prepared(
    db,
    'SELECT 1 FROM assignment_items WHERE coder_id = ? AND image_id = ? AND committed_at IS NULL LIMIT 1',
  ).get(coderId, imageId) !== undefined
