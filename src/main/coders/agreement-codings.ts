import type { Database } from 'better-sqlite3'
import { WorkbenchError } from '../../shared/errors'
import { plucked, prepared, scalar } from '../db/statements'
import { tallyTables, type AgreementTables, type CoderCodes } from './agreement-tables'
import { requireCoder, type CoderRow } from './coders'

// The catalogue's codings as the statistics take them: per class the table of the coders' codes
// (agreement-tables.ts). An AU is coded 0 absent / 1 present; the emotion is one class whose code
// is the index of the emotion a coder marked present. Read from coder_codes (migration 0012): one
// string per image and coder, so 100,000 double-coded images are 200,000 rows.

export interface AgreementScope {
  dataset?: string
  coders?: string[]
}

export interface ScopedCodings extends AgreementTables {
  dataset: string | null
  coders: CoderRow[]
  /** Images coded by at least two of the coders, in id order. */
  imageIds: number[]
}

function datasetId(db: Database, name: string): number {
  const row = prepared<{ id: number }>(db, 'SELECT id FROM datasets WHERE name = ?').get(name)
  if (!row) throw new WorkbenchError('not_found', `No dataset named "${name}" (dataset).`, { field: 'dataset', name })
  return row.id
}

function codersOf(db: Database, scope: AgreementScope, dataset: number | null): CoderRow[] {
  if (scope.coders?.length) return scope.coders.map((name, n) => requireCoder(db, name, `coders[${n}]`))
  return prepared<CoderRow>(
    db,
    `SELECT * FROM coders c WHERE EXISTS (SELECT 1 FROM codings k JOIN images i ON i.id = k.image_id
      WHERE k.coder_id = c.id AND (? IS NULL OR i.dataset_id = ?)) ORDER BY c.id`,
  ).all(dataset, dataset)
}

/** The codings of the chosen coders (default: every coder with codes there) on the images two or more coded. */
export function scopedCodings(db: Database, scope: AgreementScope): ScopedCodings {
  const dataset = scope.dataset ? datasetId(db, scope.dataset) : null
  const coders = codersOf(db, scope, dataset)
  if (coders.length < 2)
    throw new WorkbenchError(
      'invalid_arguments',
      `Agreement needs two coders or more; ${coders.length ? `only ${coders[0].name} coded` : 'nobody coded'} ${scope.dataset ? `dataset "${scope.dataset}"` : 'this workspace'}.`,
      { field: 'coders' },
    )
  const { imageIds, codes } = codesByImage(db, coders, dataset)
  return { dataset: scope.dataset ?? null, coders, imageIds, ...tallyTables(db, imageIds, codes) }
}

const COLON = 58
const SPACE = 32

/**
 * One coder's codes of every image (migration 0012's coder_codes) read as one string, each row
 * "imageId:codes" and rows apart by a space, then indexed by image id. One string per coder
 * instead of a row per image: handing 200,000 rows to JavaScript cost more than all the tallying.
 */
function codesOfCoder(db: Database, coderId: number, size: number, inScope: Uint8Array | null): CoderCodes {
  const text =
    scalar<string | null>(
      db,
      "SELECT group_concat(image_id || ':' || codes, ' ') FROM coder_codes WHERE coder_id = ?",
      coderId,
    ) ?? ''
  const start = new Int32Array(size).fill(-1)
  const length = new Int32Array(size)
  for (let at = 0; at < text.length;) {
    let id = 0
    while (text.charCodeAt(at) !== COLON) id = id * 10 + text.charCodeAt(at++) - 48
    let end = ++at
    while (end < text.length && text.charCodeAt(end) !== SPACE) end++
    if (id < size && (!inScope || inScope[id])) {
      start[id] = at
      length[id] = end - at
    }
    at = end + 1
  }
  return { text, start, length }
}

/** Each coder's codes, and the images two or more of the coders coded (in the dataset, when one is given), in id order. */
function codesByImage(db: Database, coders: CoderRow[], dataset: number | null) {
  const size = (scalar<number | null>(db, 'SELECT max(id) FROM images') ?? 0) + 1
  const inScope = dataset === null ? null : new Uint8Array(size)
  if (inScope)
    for (const id of plucked<number>(db, 'SELECT id FROM images WHERE dataset_id = ?').iterate(dataset)) inScope[id] = 1
  const codes = coders.map((coder) => codesOfCoder(db, coder.id, size, inScope))
  const imageIds: number[] = []
  for (let id = 1; id < size; id++) {
    let coded = 0
    for (const c of codes) if (c.start[id] >= 0) coded++
    if (coded >= 2) imageIds.push(id)
  }
  return { imageIds, codes }
}
