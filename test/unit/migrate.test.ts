import Database from 'better-sqlite3'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../src/main/db/migrate'
import { openCatalogue } from '../../src/main/db/open'
import { MIGRATIONS } from '../../src/main/db/migrations'
import { tempDir } from '../helpers/workbench'

describe('catalogue migrations', () => {
  it('bring a new file to the latest schema, with WAL and foreign keys on', () => {
    const db = openCatalogue(join(tempDir(), 'c.sqlite'))
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('refuse a catalogue written by a newer workbench, naming the file', () => {
    const file = join(tempDir(), 'future.sqlite')
    const raw = new Database(file)
    raw.pragma(`user_version = ${MIGRATIONS.length + 3}`)
    raw.close()
    expect(() => openCatalogue(file)).toThrow(/future\.sqlite was written by a newer Affect Workbench/)
  })

  it('apply all pending migrations in one transaction: a failing one leaves the file untouched', () => {
    const db = new Database(join(tempDir(), 'atomic.sqlite'))
    const broken = [...MIGRATIONS, { name: '9999-broken', sql: 'CREATE TABLE fine (x); CREATE TABLE broken (' }]
    expect(() => migrate(db, 'atomic.sqlite', broken)).toThrow()
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 })
  })

  it('keep the label history append-only', () => {
    const db = openCatalogue(join(tempDir(), 'log.sqlite'))
    db.exec("INSERT INTO classes (code, kind, name, description, position) VALUES ('happy', 'emotion', 'Happy', '', 0)")
    db.exec("INSERT INTO datasets (name, root, format, created_at) VALUES ('d', '/d', 'csv', 0)")
    db.exec("INSERT INTO images (dataset_id, path, sha256, width, height, split) VALUES (1, 'a.png', 'x', 1, 1, 'train')")
    db.exec("INSERT INTO label_events (edit_id, image_id, class_id, old_value, new_value, who, at) VALUES (1, 1, 1, NULL, 1, 'ana', 0)")
    expect(() => db.exec('UPDATE label_events SET new_value = 0')).toThrow(/append-only/)
    expect(() => db.exec('DELETE FROM label_events')).toThrow(/append-only/)
  })
})

describe('migration 0005 (label rules and paging)', () => {
  const fixture = join(import.meta.dirname, '..', 'fixtures', 'workspace-0.1.0', 'catalogue.sqlite')
  const snapshot = (db: Database.Database) => ({
    labels: db.prepare('SELECT image_id, class_id, value, intensity, soft, set_by, set_at FROM labels ORDER BY image_id, class_id').all(),
    events: db.prepare('SELECT * FROM label_events ORDER BY id').all(),
    // Runs: what this migration could lose (0004 rewrites their paths).
    runs: db.prepare('SELECT id, name, status FROM runs ORDER BY id').all(),
    predictions: db.prepare('SELECT count(*) AS n FROM predictions').get(),
    datasets: db.prepare('SELECT id, name, root, format, options FROM datasets ORDER BY id').all(),
  })

  it('keeps every label, edit and run of a 0.1.0 workspace, and marks its datasets one-emotion', () => {
    const file = join(tempDir(), 'catalogue.sqlite')
    copyFileSync(fixture, file)
    const before = new Database(file, { readonly: true })
    const was = snapshot(before)
    before.close()
    expect(was.events).toHaveLength(8)
    const db = openCatalogue(file)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(snapshot(db)).toEqual(was)
    expect(db.prepare('SELECT DISTINCT multi_label FROM datasets').all()).toEqual([{ multi_label: 0 }])
    expect(db.prepare('SELECT count(*) AS n FROM label_edits_in_progress').get()).toEqual({ n: 0 })
    db.close()
  })

  it('marks FER+ datasets multi-label', () => {
    const file = join(tempDir(), 'c.sqlite')
    const db = new Database(file)
    const before0005 = MIGRATIONS.findIndex((m) => m.name === '0005-label-rules-and-paging')
    migrate(db, file, MIGRATIONS.slice(0, before0005))
    db.exec("INSERT INTO datasets (name, root, format, created_at) VALUES ('FER+', '/f', 'ferplus', 0), ('RAF-DB', '/r', 'rafdb', 0)")
    migrate(db, file)
    expect(db.prepare('SELECT name, multi_label FROM datasets ORDER BY id').all()).toEqual([{ name: 'FER+', multi_label: 1 }, { name: 'RAF-DB', multi_label: 0 }])
  })
})
