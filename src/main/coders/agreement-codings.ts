import type { Database } from 'better-sqlite3'
import { WorkbenchError } from '../../shared/errors'
import { plucked, prepared, scalar } from '../db/statements'
import { tallyTables, type AgreementTables } from './agreement-tables'
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
  const { imageIds, codesOf } = codesByImage(db, coders, dataset)
  return { dataset: scope.dataset ?? null, coders, imageIds, ...tallyTables(db, imageIds, codesOf) }
}

/**
 * Each coder's codes per image id (migration 0012's coder_codes: one short string per image and
 * coder, read in key order), and the images two or more of the coders coded (in the dataset, when
 * one is given), in id order.
 */
function codesByImage(db: Database, coders: CoderRow[], dataset: number | null) {
  const maxId = scalar<number | null>(db, 'SELECT max(id) FROM images') ?? 0
  const inScope = dataset === null ? null : new Uint8Array(maxId + 1)
  if (inScope)
    for (const id of plucked<number>(db, 'SELECT id FROM images WHERE dataset_id = ?').iterate(dataset)) inScope[id] = 1
  const coderCount = new Uint8Array(maxId + 1)
  const ofCoder = prepared<[number, string]>(db, 'SELECT image_id, codes FROM coder_codes WHERE coder_id = ?').raw(true)
  const codesOf = coders.map(() => new Array<string | undefined>(maxId + 1))
  coders.forEach((coder, column) => {
    const codes = codesOf[column]
    for (const [id, text] of ofCoder.iterate(coder.id) as IterableIterator<[number, string]>) {
      if (inScope && !inScope[id]) continue
      codes[id] = text
      if (coderCount[id] < 255) coderCount[id]++
    }
  })
  const imageIds: number[] = []
  for (let id = 1; id <= maxId; id++) if (coderCount[id] >= 2) imageIds.push(id)
  return { imageIds, codesOf }
}
