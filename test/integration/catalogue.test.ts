import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { testWorkbench } from '../helpers/workbench'

let wb: ReturnType<typeof testWorkbench>
let ids: number[]

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}

beforeEach(() => {
  wb = testWorkbench()
  ids = seedCatalogue(wb.ctx.requireWorkspace().db, [
    {
      name: 'emotions',
      classCodes: ['angry', 'happy', 'sad'],
      images: [
        { path: 'a/happy1.png', labels: { happy: 1, angry: 0, sad: 0 } },
        { path: 'a/sad1.png', split: 'test', labels: { happy: 0, angry: 0, sad: 1 } },
        { path: 'a/unlabelled.png', split: 'val' },
      ],
    },
    {
      name: 'aus',
      classCodes: ['AU6', 'AU12'],
      images: [
        { path: 'b/x.png', labels: { AU12: 1, AU6: 0 } },
        { path: 'b/y_%.png', labels: { AU12: 0 } },
      ],
    },
  ])
})
afterEach(() => wb.cleanup())

describe('catalogue through the contract', () => {
  it('lists datasets with their label spaces and split counts', async () => {
    const datasets = await call('datasets.list', {})
    expect(datasets.map((d) => [d.name, d.classCodes, d.images, d.splits])).toEqual([
      ['emotions', ['angry', 'happy', 'sad'], 3, { train: 1, val: 1, test: 1 }],
      ['aus', ['AU6', 'AU12'], 2, { train: 2, val: 0, test: 0 }],
    ])
  })

  it('keeps unknown apart from absent in filters', async () => {
    const page = (state: 'present' | 'absent' | 'unknown', code: string) =>
      call('images.page', { classes: [{ code, state }] }).then((p) => p.items.map((i) => i.path))
    expect(await page('present', 'AU12')).toEqual(['b/x.png'])
    expect(await page('absent', 'AU12')).toEqual(['b/y_%.png'])
    expect(await page('unknown', 'AU12')).toEqual(['a/happy1.png', 'a/sad1.png', 'a/unlabelled.png'])
    expect(await page('unknown', 'AU6')).toEqual(['a/happy1.png', 'a/sad1.png', 'a/unlabelled.png', 'b/y_%.png'])
  })

  it('pages, sorts and counts, and matches path text literally', async () => {
    const first = await call('images.page', { sort: 'path', order: 'desc', limit: 2 })
    expect(first.total).toBe(5)
    expect(first.items.map((i) => i.path)).toEqual(['b/y_%.png', 'b/x.png'])
    expect((await call('images.page', { pathContains: '_%' })).items.map((i) => i.path)).toEqual(['b/y_%.png'])
    expect((await call('images.page', { splits: ['val', 'test'] })).total).toBe(2)
    expect((await call('images.page', { offset: 4 })).items).toHaveLength(1)
  })

  it('counts present, absent and unknown per dataset and class', async () => {
    const matrix = await call('labels.availability', {})
    expect(matrix.datasets[0].labels.happy).toEqual({ present: 1, absent: 1, unknown: 1 })
    expect(matrix.datasets[1].labels).toEqual({
      AU6: { present: 0, absent: 1, unknown: 1 },
      AU12: { present: 1, absent: 1, unknown: 0 },
    })
  })

  it('edits labels, logs who changed what, and undoes the last edit', async () => {
    const [happy1] = ids
    const edit = await call('labels.edit', {
      changes: [
        { imageId: happy1, code: 'happy', value: 0 },
        { imageId: happy1, code: 'AU12', value: 1 },
        { imageId: happy1, code: 'sad', value: 0 },
      ],
      reason: 'looks posed',
      who: 'ana',
    })
    expect(edit.changed).toBe(2) // sad was already absent: not a change
    let image = await call('images.get', { id: happy1 })
    expect(image.labels).toEqual({ angry: 0, happy: 0, sad: 0, AU12: 1 })
    expect(image.history.map((h) => [h.code, h.oldValue, h.newValue, h.who, h.reason])).toEqual([
      ['AU12', null, 1, 'ana', 'looks posed'],
      ['happy', 1, 0, 'ana', 'looks posed'],
    ])
    await call('labels.edit', { changes: [{ imageId: happy1, code: 'angry', value: null }], who: 'ben' })
    expect((await call('images.get', { id: happy1 })).labels).not.toHaveProperty('angry')

    await call('labels.undo', { who: 'ben' })
    expect((await call('images.get', { id: happy1 })).labels.angry).toBe(0)
    await call('labels.undo', { who: 'ana' })
    image = await call('images.get', { id: happy1 })
    expect(image.labels).toEqual({ angry: 0, happy: 1, sad: 0 })
    expect(image.history[0]).toMatchObject({ code: 'happy', oldValue: 0, newValue: 1, who: 'ana', undoes: edit.editId })
  })

  it('refuses an edit naming an unknown class or image, and changes nothing', async () => {
    const before = await call('images.get', { id: ids[0] })
    const result = await wb.router.call('labels.edit', {
      changes: [
        { imageId: ids[0], code: 'happy', value: 0 },
        { imageId: ids[0], code: 'AU99', value: 1 },
      ],
      who: 'ana',
    })
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', details: { field: 'changes[1].code' } },
    })
    const missing = await wb.router.call('labels.edit', {
      changes: [{ imageId: 12345, code: 'happy', value: 1 }],
      who: 'ana',
    })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', details: { field: 'changes[0].imageId' } } })
    expect((await call('images.get', { id: ids[0] })).labels).toEqual(before.labels)
  })

  it('asks for a name before recording an edit, then remembers it', async () => {
    const refused = await wb.router.call('labels.edit', { changes: [{ imageId: ids[0], code: 'happy', value: 0 }] })
    expect(refused).toMatchObject({ ok: false, error: { details: { field: 'who' } } })
    await call('app.setAnnotator', { annotator: 'carla' })
    await call('labels.edit', { changes: [{ imageId: ids[0], code: 'happy', value: 0 }] })
    expect((await call('images.get', { id: ids[0] })).labelDetails.find((l) => l.code === 'happy')?.setBy).toBe('carla')
  })

  it('sets review status and notes of many images', async () => {
    expect(await call('images.setReview', { imageIds: ids.slice(0, 2), status: 'flagged', note: 'blurry' })).toEqual({
      changed: 2,
    })
    expect((await call('images.page', { review: ['flagged'] })).total).toBe(2)
    expect((await call('images.get', { id: ids[0] })).note).toBe('blurry')
  })
})

describe('workspaces', () => {
  it('refuses to open a folder that is not a workspace, and remembers opened ones', async () => {
    const result = await wb.router.call('workspace.open', { path: wb.dir })
    expect(result).toMatchObject({ ok: false, error: { code: 'workspace_not_found' } })
    const info = await call('app.info', {})
    expect(info.recentWorkspaces[0]).toBe(wb.ctx.requireWorkspace().path)
  })

  it('refuses to create a workspace in a folder that has other files', async () => {
    const result = await wb.router.call('workspace.create', { path: wb.dir })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } })
  })
})

describe('text in names, notes and reasons', () => {
  it('refuses NUL, right-to-left overrides and lone surrogates with a message naming the field, and stores nothing', async () => {
    const nul = await wb.router.call('labels.edit', {
      changes: [{ imageId: ids[0], code: 'AU12', value: 1 }],
      who: 'ana\u0000',
    })
    expect(nul).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_arguments',
        message:
          'Invalid arguments for labels.edit: who: contains a control character (U+0000 at character 4): remove it',
      },
    })
    const rlo = await wb.router.call('images.setReview', {
      imageIds: [ids[0]],
      status: 'flagged',
      note: 'see \u202Egnp.exe',
    })
    expect(rlo).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', details: { issues: [{ field: 'note' }] } },
    })
    const half = await wb.router.call('app.setAnnotator', { annotator: 'ana\uD83D' })
    expect(half).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(
          /^Invalid arguments for app\.setAnnotator: annotator: contains half of a character/,
        ),
      },
    })
    const image = await call('images.get', { id: ids[0] })
    expect([image.labels.AU12, image.note, image.reviewStatus]).toEqual([undefined, '', 'to_review'])
    expect((await call('app.info', {})).annotator).toBeNull()
  })

  it('keeps notes and reasons on several lines', async () => {
    await call('images.setReview', { imageIds: [ids[0]], status: 'flagged', note: 'blurry\nask Ben' })
    await call('labels.edit', {
      changes: [{ imageId: ids[0], code: 'AU12', value: 1 }],
      reason: 'smile\tfaint\nbut there',
      who: 'ana',
    })
    const image = await call('images.get', { id: ids[0] })
    expect([image.note, image.history[0].reason]).toEqual(['blurry\nask Ben', 'smile\tfaint\nbut there'])
  })
})
