import type { Database } from 'better-sqlite3'
import { WorkbenchError } from '../../shared/errors'
import { MISSING, type Codings } from '../../shared/statistics/codings'
import type { Ratings } from '../../shared/statistics/icc'
import { classIndex, type ClassIndex } from '../catalogue/classes'
import { plucked, prepared, scalar } from '../db/statements'
import { requireCoder, type CoderRow } from './coders'

// The catalogue's codings as the statistics take them (shared/statistics/codings.ts): one typed
// array per class, images x coders. An AU is coded 0 absent / 1 present; the emotion is one class
// whose code is the index of the emotion a coder marked present. Read from coder_codes (migration
// 0011): one string per image and coder, so 100,000 double-coded images are 200,000 rows.

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
  const { imageIds, codesOf } = codesByImage(db, coders, dataset)
  return { dataset: scope.dataset ?? null, coders, imageIds, ...fill(db, coders.length, imageIds, codesOf) }
}

/**
 * Each coder's codes per image id (migration 0011's coder_codes: one short string per image and
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

const AU = 1
const EMOTION = 2
/** A coder_codes character: '0' not coded, '1' absent, '2' present, '3'-'7' present at A-E (intensity 1-5). */
const NOT_CODED = 0
const ABSENT = 1
const PRESENT = 2

/** What each class id is to the statistics: its kind (AU, emotion, other) and, for an emotion, its category. */
function classKinds(db: Database) {
  const classes = classIndex(db)
  const emotions = classes.list.filter((c) => c.kind === 'emotion').map((c) => c.code)
  const ids = classes.list.map((c) => classes.id(c.code))
  const kind = new Uint8Array(Math.max(0, ...ids) + 1)
  const category = new Int32Array(kind.length)
  for (const c of classes.list) kind[classes.id(c.code)] = c.kind === 'au' ? AU : c.kind === 'emotion' ? EMOTION : 0
  emotions.forEach((code, n) => (category[classes.id(code)] = n))
  return { classes, emotions, kind, category }
}

/** Fills the per-class arrays from each coder's code string of each image, one character per class id. */
function fill(db: Database, R: number, imageIds: number[], codesOf: (string | undefined)[][]) {
  const { classes, emotions, kind, category } = classKinds(db)
  const blank = () => new Int32Array(imageIds.length * R).fill(MISSING)
  const au = new Map<number, Int32Array>()
  const intensity = new Map<number, Float64Array>()
  const emotion = blank()
  let emotionCoded = false
  imageIds.forEach((imageId, item) => {
    for (let column = 0; column < R; column++) {
      const text = codesOf[column][imageId]
      if (text === undefined) continue
      const at = item * R + column
      for (let classId = 1; classId <= text.length && classId < kind.length; classId++) {
        const code = text.charCodeAt(classId - 1) - 48
        if (code === NOT_CODED) continue
        if (kind[classId] === EMOTION) {
          emotionCoded = true
          if (code >= PRESENT) emotion[at] = category[classId]
        } else if (kind[classId] === AU) {
          ;(au.get(classId) ?? au.set(classId, blank()).get(classId)!)[at] = code === ABSENT ? 0 : 1
          if (code === PRESENT) continue
          const ratings =
            intensity.get(classId) ??
            intensity.set(classId, new Float64Array(imageIds.length * R).fill(NaN)).get(classId)!
          ratings[at] = code === ABSENT ? 0 : code - PRESENT
        }
      }
    }
  })
  return {
    ...asCodings(classes, imageIds.length, R, au, emotionCoded ? emotion : null, emotions),
    intensities: asRatings(classes, imageIds.length, R, intensity),
    emotions,
  }
}

/** The AUs someone coded, in class order, then the emotion as one class when emotions are coded. */
function asCodings(
  classes: ClassIndex,
  items: number,
  coders: number,
  au: Map<number, Int32Array>,
  emotion: Int32Array | null,
  emotions: string[],
): { classes: Map<string, Codings> } {
  const out = new Map<string, Codings>()
  for (const c of classes.list) {
    const codes = au.get(classes.id(c.code))
    if (codes) out.set(c.code, { items, coders, categories: 2, codes, label: c.code })
  }
  if (emotion) out.set('emotion', { items, coders, categories: emotions.length, codes: emotion, label: 'emotion' })
  return { classes: out }
}

/** The intensity ratings of the AUs whose presence someone coded at a level. */
function asRatings(classes: ClassIndex, items: number, raters: number, intensity: Map<number, Float64Array>) {
  const out = new Map<string, Ratings>()
  for (const [classId, values] of intensity) {
    if (!values.some((v) => v > 0)) continue
    const code = classes.code(classId)
    out.set(code, { items, raters, values, label: `${code} intensity` })
  }
  return out
}
