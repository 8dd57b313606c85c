import Database from 'better-sqlite3'
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorkbench, type Workbench } from '../../src/main/app/assemble'
import { Settings } from '../../src/main/app/settings'
import { callOk } from '../helpers/call'
import { FAKE_BACKENDS, tempDir } from '../helpers/workbench'

// Migration 0008 on a workspace made by version 0.1.0 (test/fixtures/workspace-0.1.0): every label
// stays the consensus and becomes the coding of the annotator it records (set_by); label edits,
// their history and the run are kept, and the history keeps working (undo).

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'workspace-0.1.0')

let dir: string
let wb: Workbench
let before: { labels: unknown[]; events: unknown[]; runs: unknown[] }

const LABELS = 'SELECT image_id, class_id, value, set_by FROM labels ORDER BY image_id, class_id'
const EVENTS = 'SELECT * FROM label_events ORDER BY id'
const RUNS = 'SELECT id, status, name FROM runs ORDER BY id'

beforeAll(() => {
  dir = tempDir()
  const ws = join(dir, 'ws')
  cpSync(FIXTURE, ws, { recursive: true })
  const old = new Database(join(ws, 'catalogue.sqlite'), { readonly: true })
  before = { labels: old.prepare(LABELS).all(), events: old.prepare(EVENTS).all(), runs: old.prepare(RUNS).all() }
  old.close()
  wb = createWorkbench({
    transport: 'cli',
    settings: new Settings(join(dir, 'settings.json')),
    workspace: ws,
    probe: async () => FAKE_BACKENDS,
  })
})
afterAll(() => {
  wb.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('migration 0008 on a workspace of version 0.1.0', () => {
  it('keeps every label, edit and run, and makes each label the coding of its recorded annotator', () => {
    const db = wb.ctx.requireWorkspace().db
    expect(db.prepare(LABELS).all()).toEqual(before.labels)
    expect(db.prepare(EVENTS).all()).toEqual(before.events)
    expect(db.prepare(RUNS).all()).toEqual(before.runs)
    expect(db.prepare('SELECT name, role, token_hash FROM coders ORDER BY id').all()).toEqual([
      { name: 'demo generator', role: 'coder', token_hash: null },
      { name: 'Ana Coder', role: 'coder', token_hash: null },
      { name: 'Ben', role: 'coder', token_hash: null },
    ])
    const codings = db
      .prepare(
        'SELECT k.image_id, k.class_id, k.value, c.name AS set_by FROM codings k JOIN coders c ON c.id = k.coder_id ORDER BY k.image_id, k.class_id',
      )
      .all()
    expect(codings).toEqual(before.labels)
    expect(codings).toHaveLength(3698)
  })

  it('indexes those codings for agreement (migration 0011): one string of codes per image and coder', () => {
    const db = wb.ctx.requireWorkspace().db
    const pairs = db.prepare('SELECT DISTINCT coder_id, image_id FROM codings ORDER BY 1, 2').all()
    expect(db.prepare('SELECT coder_id, image_id FROM coder_codes ORDER BY 1, 2').all()).toEqual(pairs)
    const codes = db
      .prepare(
        `SELECT k.value, substr(cc.codes, k.class_id, 1) AS code FROM codings k
        JOIN coder_codes cc ON cc.coder_id = k.coder_id AND cc.image_id = k.image_id`,
      )
      .all() as { value: number; code: string }[]
    expect(codes.length).toBe(3698)
    expect(codes.filter((r) => r.value === 0).every((r) => r.code === '1')).toBe(true)
    expect(codes.filter((r) => r.value === 1).every((r) => r.code >= '2' && r.code <= '7')).toBe(true)
  })

  it('keeps the history working: undoing the 0.1.0 edit of image 200 restores its label', async () => {
    const db = wb.ctx.requireWorkspace().db
    const editId = db
      .prepare("SELECT edit_id FROM label_events WHERE image_id = 200 AND who = 'Ben'")
      .pluck()
      .get() as number
    const result = await callOk(wb, 'labels.revert', { editId, imageId: 200, who: 'Ben' })
    expect(result.changed).toBeGreaterThan(0)
    const happy =
      "SELECT value FROM labels WHERE image_id = 200 AND class_id = (SELECT id FROM classes WHERE code = 'happy')"
    const old = (before.events as { image_id: number; who: string; old_value: number | null }[]).find(
      (e) => e.image_id === 200 && e.who === 'Ben',
    )!
    expect(db.prepare(happy).pluck().get() ?? null).toBe(old.old_value)
  })
})
