import type { Database } from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mulberry32, randomInt, type Random } from '../src/shared/random'
import { MIGRATIONS } from '../src/main/db/migrations'
import { Workspace } from '../src/main/workspace/workspace'

// The agreement benchmark's workspace: one dataset of N images that two coders each coded for 40
// classes (31 AUs with FACS intensity, the 8 emotions, one compound emotion). Each coder departs
// from a hidden truth 10% of the time and leaves 3% of the codes unknown.
//
// Built in bulk: the coder_codes triggers of migration 0012 (one string splice per coding, 8,000,000
// of them at 100,000 images) and the secondary indexes of `codings` are dropped for the inserts,
// each image's code strings are written as those triggers would have written them, then indexes
// and triggers are made again from their own SQL. That took the build from 22 minutes to about
// one; a test checks the strings equal the triggers' own. A built workspace is kept under the OS
// temp folder, keyed by its size, seed and schema, and copied for each run.

const ERROR_RATE = 0.1
const UNKNOWN_RATE = 0.03
/** Where built workspaces are kept by default. */
export const DEFAULT_CACHE = join(tmpdir(), 'affect-agreement-bench')
/** Change when what the build writes changes: cached workspaces of another version are not reused. */
const BUILD_VERSION = 2

interface BenchClasses {
  aus: number[]
  emotions: number[]
  /** Every class coded: the AUs, the emotions, the first compound emotion. */
  all: number[]
}

function benchClasses(db: Database): BenchClasses {
  const ofKind = (kind: string) =>
    db.prepare('SELECT id FROM classes WHERE kind = ? ORDER BY position').pluck().all(kind) as number[]
  const aus = ofKind('au')
  const emotions = ofKind('emotion')
  return { aus, emotions, all: [...aus, ...emotions, ofKind('compound')[0]] }
}

/** One coder's codes of one image, each passed to `write` (unknown codes left out). */
function coderCodes(
  random: Random,
  truth: Map<number, number>,
  emotions: number[],
  emotion: number,
  write: (classId: number, value: 0 | 1, intensity: number | null) => void,
): void {
  const wrong = () => random() < ERROR_RATE
  const mine = wrong() ? emotions[randomInt(random, emotions.length)] : emotion
  for (const [classId, level] of truth) {
    if (random() < UNKNOWN_RATE) continue
    if (emotions.includes(classId)) write(classId, classId === mine ? 1 : 0, null)
    else {
      const coded = wrong() ? (level ? 0 : 1 + randomInt(random, 5)) : level
      write(classId, coded ? 1 : 0, coded || null)
    }
  }
}

/** One image's hidden truth: an intensity (0 absent) per AU, 1 for its emotion and 0 for the other classes. */
function truthOf(random: Random, { aus, emotions, all }: BenchClasses) {
  const truth = new Map<number, number>()
  const emotion = emotions[randomInt(random, emotions.length)]
  aus.forEach((c, n) => truth.set(c, random() < 0.02 + (0.4 * n) / aus.length ? 1 + randomInt(random, 5) : 0))
  for (const c of all) if (!aus.includes(c)) truth.set(c, c === emotion ? 1 : 0)
  return { truth, emotion }
}

/**
 * A coder's codes of one image as migration 0012's triggers keep them in coder_codes: character i
 * (1-based) the code of class id i, '0' not coded, '1' absent, '2' present without intensity,
 * '3'-'7' present at A-E; trailing '0's dropped.
 */
class CodeString {
  private readonly digits: string[] = []
  set(classId: number, value: 0 | 1, intensity: number | null): void {
    this.digits[classId - 1] = value === 0 ? '1' : intensity === null ? '2' : String(2 + intensity)
  }
  toString(): string {
    return Array.from(this.digits, (d) => d ?? '0').join('')
  }
}

/** The SQL of the coder_codes triggers and of the secondary indexes of `codings`, which the bulk insert drops. */
function slowOnBulk(db: Database): { name: string; type: string; sql: string }[] {
  return db
    .prepare(
      `SELECT name, type, sql FROM sqlite_master WHERE tbl_name = 'codings' AND sql IS NOT NULL
        AND (type = 'index' OR type = 'trigger' AND name LIKE 'coder_codes_%')`,
    )
    .all() as { name: string; type: string; sql: string }[]
}

/** Fills a new workspace's catalogue in one transaction; returns how many classes each coder coded. */
function fill(db: Database, images: number, seed: number): number {
  const classes = benchClasses(db)
  const random = mulberry32(seed)
  const dropped = slowOnBulk(db)
  db.transaction(() => {
    for (const d of dropped) db.exec(`DROP ${d.type === 'index' ? 'INDEX' : 'TRIGGER'} ${d.name}`)
    db.prepare(
      "INSERT INTO datasets (id, name, root, format, created_at) VALUES (1, 'bench', '/bench', 'csv', 0)",
    ).run()
    for (const c of classes.all) db.prepare('INSERT INTO dataset_classes VALUES (1, ?)').run(c)
    db.prepare("INSERT INTO coders (id, name, created_at) VALUES (1, 'A', 0), (2, 'B', 0)").run()
    const image = db.prepare(
      "INSERT INTO images (id, dataset_id, path, sha256, width, height, split) VALUES (?, 1, ?, ?, 1, 1, 'train')",
    )
    const coding = db.prepare(
      'INSERT INTO codings (image_id, class_id, coder_id, value, intensity, set_at) VALUES (?, ?, ?, ?, ?, 0)',
    )
    const codeString = db.prepare('INSERT INTO coder_codes (coder_id, image_id, codes) VALUES (?, ?, ?)')
    for (let i = 1; i <= images; i++) {
      image.run(i, `${i}.png`, `bench${i}`)
      const { truth, emotion } = truthOf(random, classes)
      for (const coder of [1, 2]) {
        const codes = new CodeString()
        coderCodes(random, truth, classes.emotions, emotion, (classId, value, level) => {
          coding.run(i, classId, coder, value, level)
          codes.set(classId, value, level)
        })
        const text = codes.toString()
        if (text) codeString.run(coder, i, text)
      }
    }
    for (const d of dropped) db.exec(d.sql)
  })()
  return classes.all.length
}

/** Builds the workspace at `path` (a new folder). */
export function buildAgreementWorkspace(path: string, images: number, seed = 14) {
  const ws = Workspace.create(path, { server: null })
  try {
    const classes = fill(ws.db, images, seed)
    return { classes, codings: ws.db.prepare('SELECT count(*) FROM codings').pluck().get() as number }
  } finally {
    ws.close()
  }
}

/** Where a built workspace of this size, seed and schema is kept between runs, under `cacheDir`. */
function cachedPath(cacheDir: string, images: number, seed: number): string {
  const schema = createHash('sha256')
    .update(JSON.stringify(MIGRATIONS.map((m) => m.sql)))
    .digest('hex')
    .slice(0, 12)
  return join(cacheDir, `${images}-images-seed-${seed}-schema-${schema}-v${BUILD_VERSION}`)
}

/**
 * The workspace copied to `path`, from the cache (built there first when missing). `built` says
 * whether this call built it, and `seconds` how long the build or the copy took.
 */
export function agreementWorkspace(path: string, images: number, seed = 14, cacheDir = DEFAULT_CACHE) {
  const start = performance.now()
  const cached = cachedPath(cacheDir, images, seed)
  let built = false
  if (!existsSync(join(cached, 'ws'))) {
    const building = `${cached}.building-${process.pid}`
    rmSync(building, { recursive: true, force: true })
    mkdirSync(building, { recursive: true })
    buildAgreementWorkspace(join(building, 'ws'), images, seed)
    rmSync(cached, { recursive: true, force: true })
    renameSync(building, cached)
    built = true
  }
  cpSync(join(cached, 'ws'), path, { recursive: true })
  return { built, seconds: (performance.now() - start) / 1000 }
}
