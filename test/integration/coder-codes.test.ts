import type { Database } from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32, randomInt } from '../../src/shared/random'
import { MISSING, tallyPatterns, type Codings } from '../../src/shared/statistics/codings'
import { tallyIndexPatterns } from '../../src/shared/statistics/facs-agreement-index'
import { tallyRatings, type RatingPatterns } from '../../src/shared/statistics/icc'
import { scopedCodings } from '../../src/main/coders/agreement-codings'
import { classIndex } from '../../src/main/catalogue/classes'
import { openCatalogue } from '../../src/main/db/open'
import { seedClasses } from '../../src/main/workspace/seed-classes'
import { tempDir } from '../helpers/workbench'

// Migration 0012: coder_codes (one string per image and coder) is what agreement reads, so it must
// equal the codings table after any mix of inserts, changes and deletes, and agreement read from it
// must equal agreement read straight from the codings rows.

interface CodingRow {
  image_id: number
  class_id: number
  coder_id: number
  value: number
  intensity: number | null
}

/** What coder_codes should hold, built from the codings rows by hand. */
function expectedStrings(db: Database): Record<string, string> {
  const out: Record<string, string[]> = {}
  for (const r of db.prepare('SELECT * FROM codings').all() as CodingRow[]) {
    const chars = (out[`${r.coder_id}/${r.image_id}`] ??= [])
    while (chars.length < r.class_id) chars.push('0')
    chars[r.class_id - 1] = r.value === 0 ? '1' : r.intensity === null ? '2' : String(2 + r.intensity)
  }
  return Object.fromEntries(Object.entries(out).map(([key, chars]) => [key, chars.join('').replace(/0+$/, '')]))
}

const stored = (db: Database) =>
  Object.fromEntries(
    (
      db.prepare('SELECT coder_id, image_id, codes FROM coder_codes').all() as {
        coder_id: number
        image_id: number
        codes: string
      }[]
    ).map((r) => [`${r.coder_id}/${r.image_id}`, r.codes]),
  )

let db: Database
const IMAGES = 60
const CODERS = 3

beforeAll(() => {
  db = openCatalogue(join(tempDir(), 'c.sqlite'))
  seedClasses(db)
  db.exec("INSERT INTO datasets (name, root, format, created_at) VALUES ('d', '/d', 'csv', 0), ('e', '/e', 'csv', 0)")
  const image = db.prepare(
    "INSERT INTO images (dataset_id, path, sha256, width, height, split) VALUES (?, ?, ?, 1, 1, 'train')",
  )
  for (let n = 1; n <= IMAGES; n++) image.run(n % 4 === 0 ? 2 : 1, `${n}.png`, String(n))
  for (let c = 1; c <= CODERS; c++) db.prepare('INSERT INTO coders (name, created_at) VALUES (?, 0)').run(`coder ${c}`)
})
afterAll(() => db.close())

describe('coder_codes (migration 0012)', () => {
  it('follows every insert, change and delete of codings, and an image deleted', () => {
    const classes = classIndex(db)
    const ids = classes.list.map((c) => classes.id(c.code))
    const random = mulberry32(11)
    const upsert = db.prepare(`INSERT INTO codings (image_id, class_id, coder_id, value, intensity, set_at)
      VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT DO UPDATE SET value = excluded.value, intensity = excluded.intensity`)
    const remove = db.prepare('DELETE FROM codings WHERE image_id = ? AND class_id = ? AND coder_id = ?')
    for (let step = 0; step < 4000; step++) {
      const args = [1 + randomInt(random, IMAGES), ids[randomInt(random, ids.length)], 1 + randomInt(random, CODERS)]
      if (random() < 0.2) remove.run(...args)
      else {
        const value = randomInt(random, 2)
        upsert.run(...args, value, value === 1 && random() < 0.5 ? 1 + randomInt(random, 5) : null)
      }
    }
    db.prepare(
      'UPDATE codings SET image_id = 2 WHERE image_id = 1 AND coder_id = 1 AND class_id NOT IN (SELECT class_id FROM codings WHERE image_id = 2 AND coder_id = 1)',
    ).run()
    db.prepare('DELETE FROM images WHERE id = 3').run()
    expect(Object.keys(stored(db)).length).toBeGreaterThan(IMAGES * 2)
    expect(stored(db)).toEqual(expectedStrings(db))
    expect(db.prepare("SELECT count(*) FROM coder_codes WHERE codes = '' OR codes LIKE '%0'").pluck().get()).toBe(0)
  })

  it('gives agreement the same tables as the codings rows, per class and coder, in one dataset or all', () => {
    const classes = classIndex(db)
    for (const scope of [{}, { dataset: 'd' }, { coders: ['coder 1', 'coder 3'] }]) {
      const scoped = scopedCodings(db, scope)
      const R = scoped.coders.length
      const column = new Map(scoped.coders.map((c, n) => [c.id, n]))
      expect(scoped.imageIds.length).toBeGreaterThan(10)
      const rows = db
        .prepare(`SELECT * FROM codings WHERE image_id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(scoped.imageIds))
        .filter((r) => column.has((r as CodingRow).coder_id)) as CodingRow[]
      const item = new Map(scoped.imageIds.map((id, n) => [id, n]))
      const emotions = scoped.emotions.map((code) => classes.id(code))
      // The items x coders layout, by hand from the rows: presence codes, and intensity ratings.
      const codes = new Map<string, Int32Array>()
      const ratings = new Map<string, Float64Array>()
      const codesOf = (label: string) =>
        codes.get(label) ?? codes.set(label, new Int32Array(scoped.imageIds.length * R).fill(MISSING)).get(label)!
      const ratingsOf = (label: string) =>
        ratings.get(label) ?? ratings.set(label, new Float64Array(scoped.imageIds.length * R).fill(NaN)).get(label)!
      for (const r of rows) {
        const at = item.get(r.image_id)! * R + column.get(r.coder_id)!
        const code = classes.code(r.class_id)
        const kind = classes.list.find((c) => c.code === code)!.kind
        if (kind === 'au') {
          codesOf(code)[at] = r.value
          if (r.value === 0 || r.intensity !== null) ratingsOf(code)[at] = r.value === 0 ? 0 : r.intensity!
        } else if (kind === 'emotion') {
          const emotion = codesOf('emotion')
          if (r.value === 1 && emotion[at] < emotions.indexOf(r.class_id)) emotion[at] = emotions.indexOf(r.class_id)
        }
      }
      const codingsOf = (label: string, array: Int32Array): Codings => ({
        items: scoped.imageIds.length,
        coders: R,
        categories: label === 'emotion' ? emotions.length : 2,
        codes: array,
      })
      expect(new Set(scoped.classes.keys())).toEqual(new Set(codes.keys()))
      for (const [label, array] of codes)
        expect(scoped.classes.get(label), label).toEqual(tallyPatterns(codingsOf(label, array)))
      const rated = [...ratings].filter(([, values]) => values.some((v) => v > 0))
      expect(new Set(scoped.intensities.keys())).toEqual(new Set(rated.map(([label]) => label)))
      for (const [label, values] of rated) {
        const expected = tallyRatings({ items: scoped.imageIds.length, raters: R, values })
        expect(cells(scoped.intensities.get(label)!), label).toEqual(cells(expected))
      }
      const aus = [...codes].filter(([label]) => label !== 'emotion').map(([label, a]) => codingsOf(label, a))
      expect(scoped.agreementIndex).toEqual(R === 2 ? tallyIndexPatterns(aus) : null)
    }
  })
})

/** A table of ratings as its cells: each row of rated values (empty where not rated) with its count. */
function cells({ patterns, values }: RatingPatterns): Record<string, number> {
  const out: Record<string, number> = {}
  patterns.counts.forEach((count, p) => {
    const row = patterns.rows.subarray(p * patterns.coders, (p + 1) * patterns.coders)
    out[Array.from(row, (code) => (code === MISSING ? '' : values[code])).join(',')] = count
  })
  return out
}
