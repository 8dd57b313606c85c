import type { Database } from 'better-sqlite3'
import { WorkbenchError } from '../../shared/errors'
import { MISSING, type Codings } from '../../shared/statistics/codings'
import type { Ratings } from '../../shared/statistics/icc'
import { classIndex } from '../catalogue/classes'
import { plucked, prepared, scalar } from '../db/statements'
import { requireCoder, type CoderRow } from './coders'

// The catalogue's codings as the statistics take them (shared/statistics/codings.ts): one typed
// array per class, images x coders. An AU is coded 0 absent / 1 present; the emotion is one class
// whose code is the index of the emotion a coder marked present. Read in one pass over the rows.

export interface AgreementScope {
  dataset?: string
  coders?: string[]
}

export interface ScopedCodings {
  dataset: string | null
  coders: CoderRow[]
  /** Images coded by at least two of the coders, in id order. */
  imageIds: number[]
  /** Per AU code, then "emotion" when emotions are coded. */
  classes: Map<string, Codings>
  /** Per AU code with intensities coded: 0 absent, 1-5 present at A-E, NaN not coded. */
  intensities: Map<string, Ratings>
  /** Emotion codes in category order. */
  emotions: string[]
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
  const imageIds = doublyCoded(db, coders, dataset)
  return { dataset: scope.dataset ?? null, coders, imageIds, ...fill(db, coders, imageIds) }
}

/**
 * The images two or more of the coders coded (in the dataset, when one is given), in id order. One
 * pass over the codings_by_coder index, counting coders per image id in a typed array: far faster
 * than GROUP BY over a few million codings.
 */
function doublyCoded(db: Database, coders: CoderRow[], dataset: number | null): number[] {
  const maxId = scalar<number | null>(db, 'SELECT max(id) FROM images') ?? 0
  const inScope = dataset === null ? null : new Uint8Array(maxId + 1)
  if (inScope)
    for (const id of plucked<number>(db, 'SELECT id FROM images WHERE dataset_id = ?').iterate(dataset)) inScope[id] = 1
  const coderCount = new Uint8Array(maxId + 1)
  const seen = new Uint8Array(maxId + 1)
  const ofCoder = plucked<number>(db, 'SELECT image_id FROM codings WHERE coder_id = ?')
  for (const coder of coders) {
    seen.fill(0)
    for (const id of ofCoder.iterate(coder.id)) {
      if (seen[id] || (inScope && !inScope[id])) continue
      seen[id] = 1
      if (coderCount[id] < 255) coderCount[id]++
    }
  }
  const out: number[] = []
  for (let id = 1; id <= maxId; id++) if (coderCount[id] >= 2) out.push(id)
  return out
}

/** Fills the per-class arrays in one sequential scan of the codings table (its primary key order). */
function fill(db: Database, coders: CoderRow[], imageIds: number[]) {
  const classes = classIndex(db)
  const emotions = classes.list.filter((c) => c.kind === 'emotion').map((c) => c.code)
  const kindOf = new Map(classes.list.map((c) => [classes.id(c.code), c.kind]))
  const emotionIndex = new Map(emotions.map((code, n) => [classes.id(code), n]))
  const coderColumn = new Map(coders.map((c, n) => [c.id, n]))
  const itemOf = new Int32Array((imageIds[imageIds.length - 1] ?? 0) + 1).fill(-1)
  imageIds.forEach((id, n) => (itemOf[id] = n))
  const R = coders.length
  const blank = () => new Int32Array(imageIds.length * R).fill(MISSING)
  const au = new Map<number, Int32Array>()
  const intensity = new Map<number, Float64Array>()
  const emotion = blank()
  let emotionCoded = false
  const rows = prepared<[number, number, number, number, number | null]>(
    db,
    'SELECT image_id, class_id, coder_id, value, intensity FROM codings WHERE image_id BETWEEN ? AND ?',
  ).raw(true)
  const first = imageIds[0] ?? 1
  const last = imageIds[imageIds.length - 1] ?? 0
  for (const [imageId, classId, coderId, value, level] of rows.iterate(first, last) as IterableIterator<
    [number, number, number, number, number | null]
  >) {
    const item = itemOf[imageId]
    const column = coderColumn.get(coderId)
    if (item < 0 || column === undefined) continue
    const at = item * R + column
    const kind = kindOf.get(classId)
    if (kind === 'emotion') {
      emotionCoded = true
      if (value === 1) emotion[at] = emotionIndex.get(classId)!
    } else if (kind === 'au') {
      ;(au.get(classId) ?? au.set(classId, blank()).get(classId)!)[at] = value
      if (value === 0 || level !== null) {
        const ratings =
          intensity.get(classId) ??
          intensity.set(classId, new Float64Array(imageIds.length * R).fill(NaN)).get(classId)!
        ratings[at] = value === 0 ? 0 : level!
      }
    }
  }
  const out = new Map<string, Codings>()
  for (const c of classes.list) {
    const codes = au.get(classes.id(c.code))
    if (codes) out.set(c.code, { items: imageIds.length, coders: R, categories: 2, codes, label: c.code })
  }
  if (emotionCoded)
    out.set('emotion', {
      items: imageIds.length,
      coders: R,
      categories: emotions.length,
      codes: emotion,
      label: 'emotion',
    })
  const intensities = new Map<string, Ratings>()
  for (const [classId, values] of intensity) {
    if (!values.some((v) => v > 0)) continue
    intensities.set(classes.code(classId), {
      items: imageIds.length,
      raters: R,
      values,
      label: `${classes.code(classId)} intensity`,
    })
  }
  return { classes: out, intensities, emotions }
}
