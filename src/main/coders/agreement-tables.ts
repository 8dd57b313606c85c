import type { Database } from 'better-sqlite3'
import { MISSING, PatternTally, type CodePatterns } from '../../shared/statistics/codings'
import { IndexTally, type IndexPatterns } from '../../shared/statistics/facs-agreement-index'
import type { RatingPatterns } from '../../shared/statistics/icc'
import { classIndex } from '../catalogue/classes'

// The coders' code strings (coder_codes, migration 0012) tallied in one pass over the images into
// the tables every agreement statistic is a function of. Per class, one table counts the images per
// combination of the coders' code characters (8 x 8 cells for two coders); each AU's table of
// presence codes and its table of intensities are then mappings of those cells. Per image, the
// emotion each coder marked and the FACS agreement index's (AUs agreed, AUs scored). No items x
// coders array per class is laid out: at 100,000 images x 40 classes that, and a second pass to
// tally it, were most of the read.

/** One coder's codes of every image: image `id`'s characters are text[start[id] .. start[id] + length[id]); start -1 when not coded. */
export interface CoderCodes {
  text: string
  start: Int32Array
  length: Int32Array
}

export interface AgreementTables {
  /** Per AU someone coded (in class order), then "emotion" when emotions are coded. */
  classes: Map<string, CodePatterns>
  /** Per AU coded at an intensity by someone: 0 absent, 1-5 present at A-E (present without a level is not rated). */
  intensities: Map<string, RatingPatterns>
  /** The agreement index's table over every AU, for two coders (null with more). */
  agreementIndex: IndexPatterns | null
  /** Emotion codes in category order. */
  emotions: string[]
}

/**
 * A coder_codes character less '1': MISSING for '0' (not coded), 0 absent, 1 present without
 * intensity, 2-6 present at A-E. These are the raw cells' codes.
 */
const RAW_CODES = 7
/** MISSING as a local constant: the per-code loops below run 8,000,000 times, and an imported binding is a getter call under tsx. */
const NONE = MISSING
const ABSENT = 0
const PRESENT = 1
/** The levels an intensity rating takes: 0 absent, 1-5 A-E. */
const LEVELS = Float64Array.from([0, 1, 2, 3, 4, 5])
const presenceOf = (raw: number) => (raw === NONE ? NONE : raw === ABSENT ? 0 : 1)
const levelOf = (raw: number) => (raw === NONE || raw === PRESENT ? NONE : raw === ABSENT ? 0 : raw - PRESENT)

/** The class ids of the AUs and of the emotions (in category order), and the largest class id. */
function classIds(db: Database) {
  const classes = classIndex(db)
  const ofKind = (kind: string) => classes.list.filter((c) => c.kind === kind).map((c) => classes.id(c.code))
  const last = Math.max(0, ...classes.list.map((c) => classes.id(c.code)))
  return { classes, aus: ofKind('au'), emotions: ofKind('emotion'), last }
}

/** A table of raw cells mapped cell by cell into a table of `categories` codes. */
function mapped(raw: CodePatterns, categories: number, map: (raw: number) => number): CodePatterns {
  const tally = new PatternTally(raw.coders, categories)
  const row = new Int32Array(raw.coders)
  raw.counts.forEach((count, p) => {
    for (let r = 0; r < raw.coders; r++) row[r] = map(raw.rows[p * raw.coders + r])
    tally.add(row, 0, count)
  })
  return tally.patterns()
}

const anyCoded = (t: CodePatterns) => t.coded.some((n, p) => n > 0 && t.counts[p] > 0)
const anyAbove = (t: CodePatterns, level: number) =>
  t.rows.some((code, i) => code > level && t.counts[Math.floor(i / t.coders)] > 0)

/** Tallies the tables of the images `imageIds` from each coder's codes. */
export function tallyTables(db: Database, imageIds: number[], codes: CoderCodes[]): AgreementTables {
  const { classes, aus, emotions, last } = classIds(db)
  const R = codes.length
  const raw = Array.from({ length: last + 1 }, () => new PatternTally(R, RAW_CODES))
  const emotionTally = new PatternTally(R, Math.max(1, emotions.length))
  const index = R === 2 ? new IndexTally(aus.length) : null
  const cells = new Int32Array((last + 1) * R)
  const emotion = new Int32Array(R)
  for (const id of imageIds) {
    readImage(codes, id, last, cells)
    for (let classId = 1; classId <= last; classId++) raw[classId].add(cells, classId * R)
    for (let r = 0; r < R; r++) {
      emotion[r] = NONE
      for (let n = 0; n < emotions.length; n++) if (cells[emotions[n] * R + r] >= PRESENT) emotion[r] = n
    }
    emotionTally.add(emotion)
    if (index) addToIndex(index, cells, aus)
  }
  return tablesOf(classes, raw, aus, emotions, emotionTally, index)
}

/** Image `id`'s raw code per class id and coder into cells[classId * R + coder]. */
function readImage(codes: CoderCodes[], id: number, last: number, cells: Int32Array): void {
  const R = codes.length
  for (let r = 0; r < R; r++) {
    const { text, start, length } = codes[r]
    const from = start[id]
    const end = from < 0 ? 0 : Math.min(length[id], last)
    for (let classId = 1; classId <= end; classId++) cells[classId * R + r] = text.charCodeAt(from + classId - 1) - 49
    for (let classId = end + 1; classId <= last; classId++) cells[classId * R + r] = NONE
  }
}

/** One image of two coders into the agreement index: the AUs both coded, agreed (both present) and scored. */
function addToIndex(index: IndexTally, cells: Int32Array, aus: number[]): void {
  let agreed = 0
  let scored = 0
  let compared = false
  for (const classId of aus) {
    const x = cells[classId * 2]
    const y = cells[classId * 2 + 1]
    if (x === NONE || y === NONE) continue
    compared = true
    const a = x === ABSENT ? 0 : 1
    const b = y === ABSENT ? 0 : 1
    agreed += a & b
    scored += a + b
  }
  index.add(agreed, scored, compared)
}

function tablesOf(
  classes: ReturnType<typeof classIndex>,
  raw: PatternTally[],
  aus: number[],
  emotions: number[],
  emotionTally: PatternTally,
  index: IndexTally | null,
): AgreementTables {
  const presence = new Map<string, CodePatterns>()
  const intensities = new Map<string, RatingPatterns>()
  for (const c of classes.list) {
    const classId = classes.id(c.code)
    if (!aus.includes(classId)) continue
    const cells = raw[classId].patterns()
    if (anyCoded(cells)) presence.set(c.code, mapped(cells, 2, presenceOf))
    const levels = mapped(cells, LEVELS.length, levelOf)
    if (anyAbove(levels, 0)) intensities.set(c.code, { patterns: levels, values: LEVELS })
  }
  if (emotions.some((classId) => anyCoded(raw[classId].patterns()))) presence.set('emotion', emotionTally.patterns())
  return {
    classes: presence,
    intensities,
    agreementIndex: index?.patterns() ?? null,
    emotions: emotions.map((classId) => classes.code(classId)),
  }
}
