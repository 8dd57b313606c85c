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
    db.exec(
      "INSERT INTO images (dataset_id, path, sha256, width, height, split) VALUES (1, 'a.png', 'x', 1, 1, 'train')",
    )
    db.exec(
      "INSERT INTO label_events (edit_id, image_id, class_id, old_value, new_value, who, at) VALUES (1, 1, 1, NULL, 1, 'ana', 0)",
    )
    expect(() => db.exec('UPDATE label_events SET new_value = 0')).toThrow(/append-only/)
    expect(() => db.exec('DELETE FROM label_events')).toThrow(/append-only/)
  })

  it("run a migration's own step in the same transaction: a step that throws leaves the file untouched", () => {
    const db = new Database(join(tempDir(), 'step.sqlite'))
    const broken = [
      ...MIGRATIONS,
      {
        name: '9999-broken-step',
        sql: 'CREATE TABLE fine (x);',
        step: () => {
          throw new Error('step failed')
        },
      },
    ]
    expect(() => migrate(db, 'step.sqlite', broken)).toThrow(/step failed/)
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 })
  })

  it('0004 stores paths inside the workspace (where it is, or was when a run started) relative, and others absolute', () => {
    const dir = tempDir()
    const file = join(dir, 'catalogue.sqlite')
    const db = new Database(file)
    migrate(db, file, MIGRATIONS.slice(0, 3))
    db.exec(`INSERT INTO datasets (name, root, format, options, created_at) VALUES
      ('here', '${dir}/media/here', 'fer2013', '{"source":"/home/ana/fer2013.csv"}', 0),
      ('moved', '/old/ws/demo/demo-au', 'csv', '{"source":"/old/ws/demo/demo-au/labels.csv"}', 0),
      ('elsewhere', '/mnt/sfew', 'sfew', 'not json', 0);
      INSERT INTO runs (id, name, method, network, config, datasets, status, snapshot_hash, snapshot_path, best_checkpoint, last_checkpoint, created_at)
      VALUES (4, 'r', 'sjmt', 'resnet-8', '{}', '[]', 'finished', 'h', '/old/ws/runs/4/snapshot', '/old/ws/runs/4/best.ckpt', NULL, 0),
             (5, 'r', 'sjmt', 'resnet-8', '{}', '[]', 'failed', 'h', '', NULL, NULL, 0);
      INSERT INTO run_checkpoints (run_id, path, step, at) VALUES (4, '/old/ws/runs/4/best.ckpt', 10, 0);
      INSERT INTO prediction_sets (run_id, checkpoint, images, created_at) VALUES (4, '/old/ws/runs/4/best.ckpt', 0, 0);`)
    migrate(db, file)
    expect(db.prepare('SELECT name, root, options FROM datasets ORDER BY id').all()).toEqual([
      { name: 'here', root: 'media/here', options: '{"source":"/home/ana/fer2013.csv"}' },
      { name: 'moved', root: 'demo/demo-au', options: '{"source":"demo/demo-au/labels.csv"}' },
      { name: 'elsewhere', root: '/mnt/sfew', options: 'not json' },
    ])
    expect(
      db
        .prepare('SELECT id, snapshot_path, best_checkpoint, last_checkpoint, snapshot_workspace FROM runs ORDER BY id')
        .all(),
    ).toEqual([
      {
        id: 4,
        snapshot_path: 'runs/4/snapshot',
        best_checkpoint: 'runs/4/best.ckpt',
        last_checkpoint: null,
        snapshot_workspace: '/old/ws',
      },
      { id: 5, snapshot_path: '', best_checkpoint: null, last_checkpoint: null, snapshot_workspace: null },
    ])
    expect(db.prepare('SELECT path FROM run_checkpoints').pluck().get()).toBe('runs/4/best.ckpt')
    expect(db.prepare('SELECT checkpoint FROM prediction_sets').pluck().get()).toBe('runs/4/best.ckpt')
  })
})

describe('migration 0005 (label rules and paging)', () => {
  const fixture = join(import.meta.dirname, '..', 'fixtures', 'workspace-0.1.0', 'catalogue.sqlite')
  const snapshot = (db: Database.Database) => ({
    labels: db
      .prepare(
        'SELECT image_id, class_id, value, intensity, soft, set_by, set_at FROM labels ORDER BY image_id, class_id',
      )
      .all(),
    events: db.prepare('SELECT * FROM label_events ORDER BY id').all(),
    // Runs: what this migration could lose (0004 rewrites their paths).
    runs: db.prepare('SELECT id, name, status FROM runs ORDER BY id').all(),
    predictions: db.prepare('SELECT count(*) AS n FROM predictions').get(),
    // Datasets: their paths are 0004's to rewrite (tested on its own); what 0005 could lose is the rest.
    datasets: db.prepare('SELECT id, name, format, created_at FROM datasets ORDER BY id').all(),
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
    db.exec(
      "INSERT INTO datasets (name, root, format, created_at) VALUES ('FER+', '/f', 'ferplus', 0), ('RAF-DB', '/r', 'rafdb', 0)",
    )
    migrate(db, file)
    expect(db.prepare('SELECT name, multi_label FROM datasets ORDER BY id').all()).toEqual([
      { name: 'FER+', multi_label: 1 },
      { name: 'RAF-DB', multi_label: 0 },
    ])
  })
})
