import { spawnSync } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LabelChange, MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import { ChoiceRules } from '../../src/main/labels/choice-rules'
import { classIndex } from '../../src/main/catalogue/classes'
import { applyBatch, EDIT_CHUNK } from '../../src/main/labels/edit-apply'
import { createWorkbench } from '../../src/main/app/assemble'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { FAKE_BACKENDS, testWorkbench } from '../helpers/workbench'

// Edits bigger than one chunk (EDIT_CHUNK label changes): written in several short transactions,
// other callers served in between, still one edit and one undo, and never left half-written.

let wb: ReturnType<typeof testWorkbench>
let aus: number[]
let faces: number[]
const AU_IMAGES = EDIT_CHUNK + 500

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}
const db = () => wb.ctx.requireWorkspace().db
const count = (sql: string, ...params: number[]) =>
  (
    db()
      .prepare(sql)
      .get(...params) as { n: number }
  ).n
const au12Present = () =>
  count("SELECT count(*) AS n FROM labels WHERE value = 1 AND class_id = (SELECT id FROM classes WHERE code = 'AU12')")
const inProgress = () => count('SELECT count(*) AS n FROM label_edits_in_progress')
const setAll = (value: 0 | 1): LabelChange[] => aus.map((imageId) => ({ imageId, code: 'AU12', value }))
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

beforeEach(() => {
  wb = testWorkbench()
  const ids = seedCatalogue(db(), [
    {
      name: 'aus',
      classCodes: ['AU12'],
      images: Array.from({ length: AU_IMAGES }, (_, i) => ({ path: `a/${i}.png`, labels: { AU12: 0 as const } })),
    },
    {
      name: 'faces',
      classCodes: ['happy', 'sad'],
      images: Array.from({ length: 250 }, (_, i) => ({ path: `f/${i}.png`, labels: { sad: 1 as const } })),
    },
  ])
  aus = ids.slice(0, AU_IMAGES)
  faces = ids.slice(AU_IMAGES)
})
afterEach(() => wb.cleanup())

describe('a label edit bigger than one chunk', () => {
  it('is one edit: one edit id, undone at once', async () => {
    const edit = await call('labels.edit', { changes: setAll(1), who: 'ana', reason: 'all smile' })
    expect(edit.changed).toBe(AU_IMAGES)
    expect(count('SELECT count(DISTINCT edit_id) AS n FROM label_events')).toBe(1)
    expect(au12Present()).toBe(AU_IMAGES)
    expect(inProgress()).toBe(0)
    await call('labels.undo', { who: 'ana' })
    expect(au12Present()).toBe(0)
  })

  it('lets other calls through while it is written', async () => {
    const order: string[] = []
    const big = call('labels.edit', { changes: setAll(1), who: 'ana' }).then(() => order.push('big edit'))
    // Wait until its first chunk is in: from then on it pauses between chunks.
    while (!count('SELECT count(*) AS n FROM label_events')) await nextTurn()
    const small = call('labels.edit', { changes: [{ imageId: faces[0], code: 'happy', value: 1 }], who: 'ben' }).then(
      () => order.push('small edit'),
    )
    const read = call('images.get', { id: faces[1] }).then(() => order.push('read'))
    await Promise.all([big, small, read])
    expect(order.at(-1)).toBe('big edit')
    expect(order).toHaveLength(3)
    expect(au12Present()).toBe(AU_IMAGES)
  })

  it('applies bulk edits over a filter the same way, with the one-emotion rule', async () => {
    const order: string[] = []
    const bulk = call('labels.bulkEdit', {
      selection: { query: { datasetIds: [2] } },
      code: 'happy',
      value: 1,
      who: 'ana',
    }).then((r) => (order.push('bulk'), r))
    while (!count('SELECT count(*) AS n FROM label_events')) await nextTurn()
    await call('images.page', { limit: 1 }).then(() => order.push('page'))
    const result = await bulk
    expect(order).toEqual(['page', 'bulk'])
    expect(result).toMatchObject({ images: 250, changed: 500 })
    expect(
      count(
        "SELECT count(*) AS n FROM labels WHERE value = 1 AND class_id = (SELECT id FROM classes WHERE code = 'sad')",
      ),
    ).toBe(0)
    await call('labels.undo', { editId: result.editId!, who: 'ana' })
    expect(
      count(
        "SELECT count(*) AS n FROM labels WHERE value = 1 AND class_id = (SELECT id FROM classes WHERE code = 'sad')",
      ),
    ).toBe(250)
  })

  it('takes back what it wrote when a later chunk fails, keeping edits made meanwhile by others', async () => {
    // The disk fails while writing the last chunk.
    db().exec(
      `CREATE TEMP TRIGGER fail_late BEFORE INSERT ON label_events WHEN NEW.image_id = ${aus[AU_IMAGES - 1]} BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
    )
    const big = wb.router.call('labels.edit', { changes: setAll(1), who: 'ana' })
    while (!count('SELECT count(*) AS n FROM label_events')) await nextTurn()
    const ben = await call('labels.edit', {
      changes: [{ imageId: aus[0], code: 'AU12', value: 0 }],
      reason: 'not a smile',
      who: 'ben',
    })
    expect(await big).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message:
          'The label edit could not be written: disk I/O error. Nothing was changed: the part already written was rolled back.',
      },
    })
    expect(au12Present()).toBe(0)
    expect(inProgress()).toBe(0)
    const history = (await call('images.get', { id: aus[1] })).history
    expect(history.map((h) => [h.oldValue, h.newValue, h.reason.replace(/ \d+:.*/, '')])).toEqual([
      [1, 0, 'rollback of edit'],
      [0, 1, ''],
    ])
    // Ben's edit stays the newest on his image; the failed edit is not offered for undo.
    expect((await call('images.get', { id: aus[0] })).history[0]).toMatchObject({ who: 'ben', newValue: 0 })
    await call('labels.undo', { who: 'ben' })
    expect((await call('images.get', { id: aus[0] })).history[0]).toMatchObject({ undoes: ben.editId })
    expect(await wb.router.call('labels.undo', { who: 'ben' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
  })

  it('is taken back when the workspace is next opened, if the process writing it died', async () => {
    const path = wb.ctx.requireWorkspace().path
    const rules = new ChoiceRules(db())
    const AU12 = classIndex(db()).id('AU12')
    const dead = spawnSync(process.execPath, ['-e', '']).pid!
    db().prepare('INSERT INTO label_edits_in_progress (edit_id, pid, started_at) VALUES (7, ?, 0)').run(dead)
    const meta = { who: 'ana', reason: 'killed', undoes: null, mode: 'choose' as const, what: '' }
    db().transaction(() =>
      applyBatch(
        db(),
        rules,
        7,
        meta,
        aus.slice(0, EDIT_CHUNK).map((imageId) => ({ imageId, classId: AU12, value: 1, intensity: null })),
        0,
      ),
    )()
    expect(au12Present()).toBe(EDIT_CHUNK)
    wb.ctx.close()
    const again = createWorkbench({
      transport: 'cli',
      settings: wb.ctx.settings,
      workspace: path,
      probe: async () => FAKE_BACKENDS,
    })
    try {
      const reopened = again.ctx.requireWorkspace().db
      expect(reopened.prepare('SELECT count(*) AS n FROM labels WHERE value = 1 AND class_id = ?').get(AU12)).toEqual({
        n: 0,
      })
      expect(reopened.prepare('SELECT count(*) AS n FROM label_edits_in_progress').get()).toEqual({ n: 0 })
      expect(
        reopened
          .prepare(
            "SELECT count(*) AS n FROM label_events WHERE undoes = 7 AND reason LIKE 'rollback of edit 7: it was interrupted%'",
          )
          .get(),
      ).toEqual({ n: EDIT_CHUNK })
    } finally {
      again.close()
    }
  })
})
