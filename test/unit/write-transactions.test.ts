import type { Database } from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { editSteps } from '../../src/main/labels/edit-writer'
import type { Resolved } from '../../src/main/labels/edit-apply'
import { runNow } from '../../src/main/db/paced'
import { classIndex } from '../../src/main/catalogue/classes'
import { openCatalogue } from '../../src/main/db/open'
import { Workspace } from '../../src/main/workspace/workspace'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { tempDir } from '../helpers/workbench'

// Two workbenches on one workspace (the app and a CLI command, two servers before the lock) share
// the catalogue through SQLite. An edit reads (the next edit id, the old values) then writes; with
// a plain BEGIN another connection's commit in between made SQLite refuse the write at once with
// "database is locked" (5.2 % of edits with two servers). A write transaction takes the lock first.

/** One label edit of one batch, written as the label services write it (one transaction). */
const applyLabelChanges = (db: Database, changes: Resolved[], who: string, reason: string) =>
  runNow(editSteps(db, { who, reason, undoes: null, mode: 'choose', what: 'Editing' }, [changes]))

let dir: string
let file: string
let a: Database
let b: Database
beforeAll(() => {
  dir = tempDir()
  const ws = Workspace.create(join(dir, 'ws'))
  seedCatalogue(ws.db, [{ name: 'faces', classCodes: ['AU6', 'AU12'], images: [{ path: 'a.png' }, { path: 'b.png' }] }])
  file = ws.catalogueFile
  ws.close()
  a = openCatalogue(file)
  b = openCatalogue(file)
})
afterAll(() => {
  a.close()
  b.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('write transactions', () => {
  it('an edit keeps its write when another connection writes while it runs: the other one waits', () => {
    const au12 = classIndex(a).id('AU12')
    const au6 = classIndex(b).id('AU6')
    // No waiting here: in one thread the other connection would only wait for us.
    b.pragma('busy_timeout = 0')
    let other: string | null = null
    const edit = a.transaction(() => {
      // The edit reads first, as every edit does (the next edit id)...
      a.prepare('SELECT coalesce(max(edit_id), 0) + 1 AS id FROM label_events').get()
      // ...and meanwhile another workbench edits.
      try {
        applyLabelChanges(b, [{ imageId: 2, classId: au6, value: 1, intensity: null }], 'cli', 'meanwhile')
        other = 'written'
      } catch (e) {
        other = (e as { code?: string }).code ?? String(e)
      }
      return applyLabelChanges(a, [{ imageId: 1, classId: au12, value: 1, intensity: null }], 'app', 'edit')
    })
    const result = edit()
    expect(result.changed).toBe(1)
    expect(other).toBe('SQLITE_BUSY')
    expect(a.prepare('SELECT image_id, value FROM labels').all()).toEqual([{ image_id: 1, value: 1 }])
    // Once the edit committed, the other connection's write goes through.
    b.pragma('busy_timeout = 5000')
    expect(
      applyLabelChanges(b, [{ imageId: 2, classId: au6, value: 1, intensity: null }], 'cli', 'after').changed,
    ).toBe(1)
  })
})
