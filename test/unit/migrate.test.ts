import Database from 'better-sqlite3'
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
