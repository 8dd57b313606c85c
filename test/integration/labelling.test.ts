import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import { writeFileSync } from 'node:fs'
import { shortcutsFile } from '../../src/main/labels/shortcut-settings'
import { Settings } from '../../src/main/app/settings'
import { createWorkbench } from '../../src/main/app/assemble'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { storePredictions } from '../helpers/predictions'
import { FAKE_BACKENDS, testWorkbench } from '../helpers/workbench'

let wb: ReturnType<typeof testWorkbench>
let ids: number[]
let runId: number

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}
const paths = (page: { items: { path: string }[] }) => page.items.map((i) => i.path)

beforeEach(() => {
  wb = testWorkbench()
  const db = wb.ctx.requireWorkspace().db
  ids = seedCatalogue(db, [
    {
      name: 'emotions',
      classCodes: ['angry', 'happy', 'sad'],
      images: [
        { path: 'e/happy.png', labels: { happy: 1, angry: 0, sad: 0 } },
        { path: 'e/sad.png', labels: { happy: 0, angry: 0, sad: 1 } },
        { path: 'e/unlabelled.png' },
      ],
    },
    {
      name: 'aus',
      classCodes: ['AU6', 'AU12'],
      images: [
        { path: 'a/smile.png', labels: { AU12: 1, AU6: 0 } },
        { path: 'a/still.png', labels: { AU12: 0 } },
      ],
    },
  ])
  const [happy, sad, unlabelled, smile, still] = ids
  runId = storePredictions(
    db,
    new Map<number, Record<string, number>>([
      [happy, { happy: 0.9, sad: 0.1, AU12: 0.8 }], // agrees: disagreement 0.1
      [sad, { happy: 0.7, sad: 0.2, AU12: 0.5 }], // contradicts sad: 0.8
      [unlabelled, { happy: 0.45, sad: 0.3 }], // no label to disagree with, most uncertain
      [smile, { AU12: 0.6, AU6: 0.05 }], // 0.4
      [still, { AU12: 0.02 }], // 0.02
    ]),
  )
})
afterEach(() => wb.cleanup())

describe("the catalogue grid with a run's predictions", () => {
  it('filters images whose labels the run contradicts, and sorts by disagreement and uncertainty', async () => {
    expect(paths(await call('images.browse', { runId, disagreement: { min: 0.5 } }))).toEqual(['e/sad.png'])
    expect(paths(await call('images.browse', { runId, disagreement: { min: 0.3, code: 'AU12' } }))).toEqual([
      'a/smile.png',
    ])
    const byDisagreement = await call('images.browse', { runId, sort: 'disagreement', order: 'desc' })
    expect(paths(byDisagreement)).toEqual([
      'e/sad.png',
      'a/smile.png',
      'e/happy.png',
      'a/still.png',
      'e/unlabelled.png',
    ])
    expect(byDisagreement.items[0].scores?.disagreement).toBeCloseTo(0.8)
    expect(byDisagreement.items[4].scores?.disagreement).toBeNull()
    expect(paths(await call('images.browse', { runId, sort: 'uncertainty', order: 'desc', limit: 2 }))).toEqual([
      'e/sad.png',
      'e/unlabelled.png',
    ])
  })

  it('filters by how confident the run was about one class, together with the label filters', async () => {
    const page = await call('images.browse', { runId, confidence: { code: 'AU12', min: 0.5, max: 1 } })
    expect(paths(page)).toEqual(['e/happy.png', 'e/sad.png', 'a/smile.png'])
    // AU12 predicted but never labelled: candidates for accepting the prediction.
    expect(
      paths(
        await call('images.browse', {
          runId,
          confidence: { code: 'AU12', min: 0.5, max: 1 },
          classes: [{ code: 'AU12', state: 'unknown' }],
        }),
      ),
    ).toEqual(['e/happy.png', 'e/sad.png'])
    expect(page.total).toBe(3)
  })

  it('sees a corrected label at once in the disagreement filter', async () => {
    await call('labels.edit', {
      changes: [
        { imageId: ids[1], code: 'sad', value: 0 },
        { imageId: ids[1], code: 'happy', value: 1 },
      ],
      who: 'ana',
    })
    expect(paths(await call('images.browse', { runId, disagreement: { min: 0.5 } }))).toEqual([])
  })

  it('asks for a run before sorting by predictions', async () => {
    const result = await wb.router.call('images.browse', { sort: 'uncertainty' })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_arguments', details: { field: 'runId' } } })
  })

  it('tells where an image sits in every sort, as the pages list it', async () => {
    for (const [sort, order] of [
      ['path', 'asc'],
      ['path', 'desc'],
      ['disagreement', 'desc'],
      ['disagreement', 'asc'],
      ['uncertainty', 'desc'],
      ['id', 'desc'],
    ] as const) {
      const page = await call('images.browse', { runId, sort, order })
      for (const [index, item] of page.items.entries()) {
        expect(
          await call('images.position', { runId, sort, order, id: item.id }),
          `${sort} ${order} ${item.path}`,
        ).toEqual({ index, total: 5 })
      }
    }
    expect(await call('images.position', { datasetIds: [2], sort: 'id', order: 'asc', id: ids[0] })).toEqual({
      index: null,
      total: 2,
    })
  })

  it("returns a run's probabilities for one image, by default the newest run's", async () => {
    expect(await call('images.predictions', { imageId: ids[3] })).toEqual({
      runId,
      runName: 'test run',
      probabilities: { AU12: 0.6, AU6: 0.05 },
    })
    const later = storePredictions(
      wb.ctx.requireWorkspace().db,
      new Map([[ids[3], { AU12: 0.1 }]]),
      'later run',
      Date.now() + 1000,
    )
    expect((await call('images.predictions', { imageId: ids[3] }))?.runId).toBe(later)
    expect(await call('images.predictions', { imageId: ids[0], runId: later })).toBeNull()
  })
})

describe('bulk edits, redo and revert', () => {
  it('sets a label on every image of a selection in one edit, logged per image, undone at once', async () => {
    const edit = await call('labels.bulkEdit', {
      selection: { query: { datasetIds: [2] }, except: [ids[4]] },
      code: 'AU6',
      value: 1,
      who: 'ana',
    })
    expect(edit).toMatchObject({ images: 1, changed: 1 })
    const both = await call('labels.bulkEdit', {
      selection: { ids: [ids[3], ids[4]] },
      code: 'AU25',
      value: 1,
      reason: 'mouth open',
      who: 'ana',
    })
    expect(both).toMatchObject({ images: 2, changed: 2 })
    for (const id of [ids[3], ids[4]])
      expect((await call('images.get', { id })).history[0]).toMatchObject({
        code: 'AU25',
        oldValue: null,
        newValue: 1,
        who: 'ana',
        reason: 'mouth open',
        editId: both.editId,
      })
    await call('labels.undo', { editId: both.editId!, who: 'ana' })
    for (const id of [ids[3], ids[4]]) expect((await call('images.get', { id })).labels).not.toHaveProperty('AU25')
  })

  it('keeps emotions single-choice in bulk: choosing one marks the others of the label space absent', async () => {
    await call('labels.bulkEdit', { selection: { ids: [ids[0], ids[2]] }, code: 'angry', value: 1, who: 'ana' })
    expect((await call('images.get', { id: ids[0] })).labels).toEqual({ angry: 1, happy: 0, sad: 0 })
    expect((await call('images.get', { id: ids[2] })).labels).toEqual({ angry: 1, happy: 0, sad: 0 })
  })

  it('redoes an undone edit, and refuses to redo what was not undone or twice', async () => {
    const edit = await call('labels.edit', { changes: [{ imageId: ids[0], code: 'AU12', value: 1 }], who: 'ana' })
    const undo = await call('labels.undo', { editId: edit.editId!, who: 'ana' })
    expect((await call('images.get', { id: ids[0] })).labels).not.toHaveProperty('AU12')
    const redo = await call('labels.redo', { editId: undo.editId!, who: 'ben' })
    const image = await call('images.get', { id: ids[0] })
    expect(image.labels.AU12).toBe(1)
    expect(image.history[0]).toMatchObject({
      who: 'ben',
      reason: `redo of edit ${edit.editId}`,
      undoes: undo.editId,
      newValue: 1,
    })
    expect(await wb.router.call('labels.redo', { editId: undo.editId!, who: 'ben' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    })
    expect(await wb.router.call('labels.redo', { editId: edit.editId!, who: 'ben' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { field: 'editId' } },
    })
    // Undo the redo, redo again: the chain goes on.
    const again = await call('labels.undo', { editId: redo.editId!, who: 'ben' })
    await call('labels.redo', { editId: again.editId!, who: 'ben' })
    expect((await call('images.get', { id: ids[0] })).labels.AU12).toBe(1)
    // Without an id: the newest undo not yet redone (a redo is not an undo to redo).
    expect(await wb.router.call('labels.redo', { who: 'ben' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    await call('labels.undo', { who: 'ben' })
    await call('labels.redo', { who: 'ben' })
    expect((await call('images.get', { id: ids[0] })).labels.AU12).toBe(1)
  })

  it("reverts a bulk edit on one image from its history and leaves the other images' labels", async () => {
    const bulk = await call('labels.bulkEdit', {
      selection: { ids: [ids[3], ids[4]] },
      code: 'AU6',
      value: 1,
      who: 'ana',
    })
    const revert = await call('labels.revert', { editId: bulk.editId!, imageId: ids[4], who: 'ana' })
    expect(revert.changed).toBe(1)
    expect((await call('images.get', { id: ids[4] })).labels).not.toHaveProperty('AU6')
    expect((await call('images.get', { id: ids[3] })).labels.AU6).toBe(1)
    expect((await call('images.get', { id: ids[4] })).history[0].reason).toBe(
      `undo of edit ${bulk.editId} on image ${ids[4]} only`,
    )
  })
})

describe('keyboard shortcuts', () => {
  it('accepts known actions and keys written as the sheet writes them, and refuses anything else, naming it', async () => {
    const ok = {
      next: ['ArrowDown', 'Ctrl+Shift+z'],
      'emotion:happy': ['Shift+1'],
      'emotion:unknown': ['?'],
      'au:AU43': ['Alt+F5'],
      help: [],
    }
    expect(await call('shortcuts.set', { bindings: ok })).toEqual(ok)
    const refused = async (bindings: Record<string, string[]>) => {
      const result = await wb.router.call('shortcuts.set', { bindings })
      expect(result.ok).toBe(false)
      return result.ok ? '' : result.error.message
    }
    expect(await refused({ 'delete:everything': ['d'] })).toMatch(
      /bindings\.delete:everything: "delete:everything" is not a shortcut action/,
    )
    expect(await refused({ next: ['Shift+Ctrl+z'] })).toMatch(
      /bindings\.next\.0: write a key as the shortcut sheet does/,
    )
    expect(await refused({ next: ['\u0000'] })).toMatch(/bindings\.next\.0/)
    expect(await refused({ next: ['a', 'b', 'c', 'd', 'e'] })).toMatch(/at most 4 keys/)
    const many = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`au:AU${i}`, ['x']]))
    expect(await refused(many)).toMatch(/bindings: at most 100 actions, not 200000/)
    expect(await call('shortcuts.get', {})).toEqual(ok)
  })

  it('reads back only valid entries of a shortcuts file written by hand or by an older version', async () => {
    const file = shortcutsFile(wb.ctx.settings.file)
    writeFileSync(
      file,
      JSON.stringify({
        next: ['d'],
        bogus: ['x'],
        previous: ['Ctrl+Ctrl+a'],
        ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`junk${i}`, ['k']])),
      }),
    )
    expect(await call('shortcuts.get', {})).toEqual({ next: ['d'] })
  })

  it('remembers changed shortcuts across restarts', async () => {
    await call('shortcuts.set', { bindings: { next: ['d'], 'au:AU12': ['Shift+U'] } })
    const settings = new Settings(wb.ctx.settings.file)
    const again = createWorkbench({ transport: 'cli', settings, probe: async () => FAKE_BACKENDS })
    try {
      const result = await again.router.call('shortcuts.get', {})
      expect(result).toEqual({ ok: true, value: { next: ['d'], 'au:AU12': ['Shift+U'] } })
    } finally {
      again.close()
    }
  })
})
