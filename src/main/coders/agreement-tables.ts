import type { Database } from 'better-sqlite3'
import { MISSING, PatternTally, type CodePatterns } from '../../shared/statistics/codings'
import { IndexTally, type IndexPatterns } from '../../shared/statistics/facs-agreement-index'
import type { RatingPatterns } from '../../shared/statistics/icc'
import { classIndex } from '../catalogue/classes'

// The coders' code strings (coder_codes, migration 0012) tallied in one pass over the images into
// the tables every agreement statistic is a function of: per AU a table of the coders' presence
// codes and one of their intensities, one of the emotion, and the FACS agreement index's table of
// (AUs agreed, AUs scored) per image. No items x coders array per class is laid out: at 100,000
// images x 40 classes that layout, and a second pass to tally it, were most of the read.

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

const AU = 1
const EMOTION = 2
/** A coder_codes character: '0' not coded, '1' absent, '2' present, '3'-'7' present at A-E (intensity 1-5). */
const NOT_CODED = 0
const ABSENT = 1
const PRESENT = 2
/** The levels an intensity rating takes: 0 absent, 1-5 A-E. */
const LEVELS = Float64Array.from([0, 1, 2, 3, 4, 5])

/** What each class id is to the statistics: its kind (AU, emotion, other) and, for an emotion, its category. */
function classKinds(db: Database) {
  const classes = classIndex(db)
  const emotions = classes.list.filter((c) => c.kind === 'emotion').map((c) => c.code)
  const aus = classes.list.filter((c) => c.kind === 'au').map((c) => classes.id(c.code))
  const kind = new Uint8Array(Math.max(0, ...classes.list.map((c) => classes.id(c.code))) + 1)
  const category = new Int32Array(kind.length)
  for (const id of aus) kind[id] = AU
  emotions.forEach((code, n) => {
    kind[classes.id(code)] = EMOTION
    category[classes.id(code)] = n
  })
  return { classes, emotions, aus, kind, category }
}

/** One image's codes per class id and coder, and its emotion per coder, read from the coders' strings. */
class ImageCodes {
  readonly presence: Int32Array
  readonly level: Int32Array
  readonly emotion: Int32Array
  emotionCoded = false

  constructor(
    private readonly kinds: ReturnType<typeof classKinds>,
    private readonly R: number,
  ) {
    this.presence = new Int32Array(kinds.kind.length * R)
    this.level = new Int32Array(kinds.kind.length * R)
    this.emotion = new Int32Array(R)
  }

  /** Reads each coder's string (undefined: that coder did not code the image). */
  read(texts: (string | undefined)[]): void {
    const { R, presence, level, emotion } = this
    const { kind, category } = this.kinds
    presence.fill(MISSING)
    level.fill(MISSING)
    emotion.fill(MISSING)
    for (let r = 0; r < R; r++) {
      const text = texts[r]
      if (text === undefined) continue
      const end = Math.min(text.length, kind.length - 1)
      for (let classId = 1; classId <= end; classId++) {
        const code = text.charCodeAt(classId - 1) - 48
        if (code === NOT_CODED) continue
        if (kind[classId] === EMOTION) {
          this.emotionCoded = true
          if (code >= PRESENT) emotion[r] = category[classId]
        } else if (kind[classId] === AU) {
          presence[classId * R + r] = code === ABSENT ? 0 : 1
          level[classId * R + r] = code === ABSENT ? 0 : code === PRESENT ? MISSING : code - PRESENT
        }
      }
    }
  }
}

/** Tallies the tables of the images `imageIds`, `codesOf[coder][imageId]` being each coder's code string. */
export function tallyTables(db: Database, imageIds: number[], codesOf: (string | undefined)[][]): AgreementTables {
  const kinds = classKinds(db)
  const R = codesOf.length
  const image = new ImageCodes(kinds, R)
  const presence = kinds.aus.map(() => new PatternTally(R, 2))
  const intensity = kinds.aus.map(() => new PatternTally(R, LEVELS.length))
  const rated = new Uint8Array(kinds.aus.length)
  const emotion = new PatternTally(R, Math.max(1, kinds.emotions.length))
  const index = R === 2 ? new IndexTally(kinds.aus.length) : null
  const texts = new Array<string | undefined>(R)
  for (const imageId of imageIds) {
    for (let r = 0; r < R; r++) texts[r] = codesOf[r][imageId]
    image.read(texts)
    let agreed = 0
    let scored = 0
    let compared = false
    for (let n = 0; n < kinds.aus.length; n++) {
      const at = kinds.aus[n] * R
      presence[n].add(image.presence, at)
      intensity[n].add(image.level, at)
      for (let r = 0; r < R; r++) if (image.level[at + r] > 0) rated[n] = 1
      const x = image.presence[at]
      const y = image.presence[at + 1]
      if (!index || x === MISSING || y === MISSING) continue
      compared = true
      agreed += x & y
      scored += x + y
    }
    index?.add(agreed, scored, compared)
    emotion.add(image.emotion)
  }
  const classes = new Map<string, CodePatterns>()
  const intensities = new Map<string, RatingPatterns>()
  kinds.aus.forEach((classId, n) => {
    const code = kinds.classes.code(classId)
    if (presence[n].anyCoded()) classes.set(code, presence[n].patterns())
    if (rated[n]) intensities.set(code, { patterns: intensity[n].patterns(), values: LEVELS })
  })
  if (image.emotionCoded) classes.set('emotion', emotion.patterns())
  return { classes, intensities, agreementIndex: index?.patterns() ?? null, emotions: kinds.emotions }
}
