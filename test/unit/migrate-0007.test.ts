import Database from 'better-sqlite3'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../src/main/db/migrate'
import { MIGRATIONS } from '../../src/main/db/migrations'
import { tempDir } from '../helpers/workbench'

// Migration 0007 brings intensities stored in the datasets' own scales to FACS 1-5 (A-E), on the
// workspace a user of version 0.1.0 has, with the kinds of values the earlier importers wrote.

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'workspace-0.1.0', 'catalogue.sqlite')
const BEFORE_0007 = MIGRATIONS.findIndex((m) => m.name === '0007-facs-intensity')

/** The fixture migrated up to just before 0007. */
function oldCatalogue(): { db: Database.Database; file: string } {
  const file = join(tempDir(), 'catalogue.sqlite')
  copyFileSync(FIXTURE, file)
  const db = new Database(file)
  migrate(db, file, MIGRATIONS.slice(0, BEFORE_0007))
  return { db, file }
}

const au = (db: Database.Database, code: string): number =>
  db.prepare('SELECT id FROM classes WHERE code = ?').pluck().get(code) as number

describe('migration 0007 (FACS intensity)', () => {
  it("converts earlier importers' intensities and keeps every label, value and event", () => {
    const { db, file } = oldCatalogue()
    const [au1, au2, au4, au5, au6, au9, au12] = ['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU9', 'AU12'].map((c) =>
      au(db, c),
    )
    const put = db.prepare(
      "INSERT OR REPLACE INTO labels (image_id, class_id, value, intensity, set_by, set_at) VALUES (?, ?, ?, ?, 'import', 0)",
    )
    put.run(10, au1, 0, 0) // DISFA 0
    put.run(10, au2, 0, 1) // DISFA 1: a trace, absent
    put.run(10, au4, 1, 3) // DISFA 3
    put.run(11, au5, 1, 2.6) // a CK+ float
    put.run(11, au6, 1, 7) // outside FACS
    put.run(11, au9, 0, 4) // an absent label with an intensity (the old contract allowed it)
    put.run(11, au12, 1, 0.4) // a fraction below A
    const labels = 'SELECT image_id, class_id, value, set_by, set_at FROM labels ORDER BY image_id, class_id'
    const kept = {
      labels: db.prepare(labels).all(),
      events: db.prepare('SELECT * FROM label_events ORDER BY id').all(),
    }
    migrate(db, file)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect({
      labels: db.prepare(labels).all(),
      events: db.prepare('SELECT * FROM label_events ORDER BY id').all(),
    }).toEqual(kept)
    const intensity = (image: number, cls: number) =>
      db.prepare('SELECT intensity FROM labels WHERE image_id = ? AND class_id = ?').pluck().get(image, cls)
    expect([au1, au2, au4].map((c) => intensity(10, c))).toEqual([null, 1, 3])
    expect([au5, au6, au9, au12].map((c) => intensity(11, c))).toEqual([3, null, null, 1])
    db.close()
  })

  it('refuses intensities outside FACS from then on, and serves intensity filters from an index', () => {
    const { db, file } = oldCatalogue()
    migrate(db, file)
    const au12 = au(db, 'AU12')
    const put = db.prepare(
      "INSERT OR REPLACE INTO labels (image_id, class_id, value, intensity, set_by, set_at) VALUES (1, ?, ?, ?, 'x', 0)",
    )
    for (const [value, bad] of [
      [1, 0],
      [1, 6],
      [1, 2.5],
      [0, 3],
    ])
      expect(() => put.run(au12, value, bad), `${value} ${bad}`).toThrow(/intensity must be 1-5/)
    put.run(au12, 1, 5)
    put.run(au12, 0, 1)
    expect(() => db.prepare('UPDATE labels SET intensity = 2 WHERE image_id = 1 AND class_id = ?').run(au12)).toThrow(
      /intensity must be 1-5/,
    )
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT image_id FROM labels WHERE class_id = ? AND value = 1 AND intensity >= 3')
      .all(au12) as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/labels_by_intensity/)
    db.close()
  })
})
