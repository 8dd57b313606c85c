import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import { runCli } from '../../src/main/cli/index'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { testWorkbench } from '../helpers/workbench'

// One emotion per image, for every caller: labels.edit (the API and `affect label`), bulk edits,
// undo, redo and revert. A multi-label dataset (FER+ votes) says so and keeps several.

let wb: ReturnType<typeof testWorkbench>
let ids: number[]

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}
const labelsOf = async (id: number) => (await call('images.get', { id })).labels

beforeEach(() => {
  wb = testWorkbench()
  ids = seedCatalogue(wb.ctx.requireWorkspace().db, [
    {
      name: 'emotions',
      classCodes: ['angry', 'happy', 'sad'],
      images: [
        { path: 'e/sad.png', labels: { angry: 0, happy: 0, sad: 1 } },
        { path: 'e/unknown.png' },
        { path: 'e/other.png', labels: { sad: 1 } },
      ],
    },
    {
      name: 'votes',
      format: 'ferplus',
      classCodes: ['angry', 'happy', 'sad'],
      images: [{ path: 'v/1.png', labels: { sad: 1, happy: 0 } }],
    },
    { name: 'aus', classCodes: ['AU12'], images: [{ path: 'a/1.png', labels: { AU12: 1 } }] },
  ])
})
afterEach(() => wb.cleanup())

describe('one emotion per image', () => {
  it('setting happy on an image whose sad is present switches: sad and the other emotions become absent, in the same edit', async () => {
    const edit = await call('labels.edit', { changes: [{ imageId: ids[0], code: 'happy', value: 1 }], who: 'ana' })
    expect(await labelsOf(ids[0])).toEqual({ angry: 0, happy: 1, sad: 0 })
    expect(edit.changed).toBe(2)
    await call('labels.edit', { changes: [{ imageId: ids[1], code: 'angry', value: 1 }], who: 'ana' })
    expect(await labelsOf(ids[1])).toEqual({ angry: 1, happy: 0, sad: 0 })
    // One edit, one undo: sad is back.
    await call('labels.undo', { editId: edit.editId!, who: 'ana' })
    expect(await labelsOf(ids[0])).toEqual({ angry: 0, happy: 0, sad: 1 })
  })

  it('refuses one edit that sets two emotions present on one image, naming the image and the codes, and changes nothing', async () => {
    const result = await wb.router.call('labels.edit', {
      changes: [
        { imageId: ids[1], code: 'AU12', value: 1 },
        { imageId: ids[1], code: 'happy', value: 1 },
        { imageId: ids[1], code: 'sad', value: 1 },
      ],
      who: 'ana',
    })
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid_arguments',
        message: `Image ${ids[1]}: happy and sad are both set present in one edit (changes[1], changes[2]), but emotions are one choice per image in dataset "emotions": set one of them. Nothing was changed.`,
        details: {
          field: 'changes[1]',
          imageId: ids[1],
          codes: ['happy', 'sad'],
          kind: 'emotion',
          dataset: 'emotions',
        },
      },
    })
    expect(await labelsOf(ids[1])).toEqual({})
  })

  it('refuses all emotions set on many images at once, as the API accepted before', async () => {
    const changes = ids.slice(0, 3).flatMap((imageId) =>
      ['angry', 'happy', 'sad', 'fear', 'disgust', 'surprise', 'neutral'].map((code) => ({
        imageId,
        code,
        value: 1 as const,
      })),
    )
    const result = await wb.router.call('labels.edit', { changes, who: 'ana' })
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_arguments',
        details: { imageId: ids[0], codes: ['angry', 'happy', 'sad', 'fear', 'disgust', 'surprise', 'neutral'] },
      },
    })
    expect(await labelsOf(ids[0])).toEqual({ angry: 0, happy: 0, sad: 1 })
  })

  it('`affect label --set happy=1 --set sad=1 --set angry=1` says why in one line and exits 1', async () => {
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')))
    vi.stubEnv('AFFECT_CONFIG_DIR', wb.dir)
    try {
      const code = await runCli([
        'label',
        '--workspace',
        wb.ctx.requireWorkspace().path,
        '--image',
        String(ids[1]),
        '--set',
        'happy=1',
        '--set',
        'sad=1',
        '--set',
        'angry=1',
        '--who',
        'ana',
      ])
      expect(code).toBe(1)
    } finally {
      vi.unstubAllEnvs()
      vi.restoreAllMocks()
    }
    expect(errors).toEqual([
      `affect: Image ${ids[1]}: happy, sad and angry are all set present in one edit (changes[0], changes[1], changes[2]), but emotions are one choice per image in dataset "emotions": set one of them. Nothing was changed.`,
    ])
    expect(await labelsOf(ids[1])).toEqual({})
  })

  it('keeps an edit that clears or marks absent, and an edit of AUs, on an image that already had two emotions', async () => {
    const db = wb.ctx.requireWorkspace().db
    db.prepare(
      "UPDATE labels SET value = 1 WHERE image_id = ? AND class_id = (SELECT id FROM classes WHERE code = 'angry')",
    ).run(ids[0])
    await call('labels.edit', { changes: [{ imageId: ids[0], code: 'AU12', value: 1 }], who: 'ana' })
    await call('labels.edit', { changes: [{ imageId: ids[0], code: 'angry', value: 0 }], who: 'ana' })
    expect(await labelsOf(ids[0])).toEqual({ angry: 0, happy: 0, sad: 1, AU12: 1 })
  })

  it('refuses an undo that would bring back an emotion while another edit chose another one since', async () => {
    const a = await call('labels.edit', { changes: [{ imageId: ids[0], code: 'happy', value: 1 }], who: 'ana' })
    await call('labels.edit', { changes: [{ imageId: ids[0], code: 'angry', value: 1 }], who: 'ben' })
    expect(await labelsOf(ids[0])).toEqual({ angry: 1, happy: 0, sad: 0 })
    const undo = await wb.router.call('labels.undo', { editId: a.editId!, who: 'ana' })
    expect(undo).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: `Undoing edit ${a.editId} would leave image ${ids[0]} with angry and sad both present, but emotions are one choice per image in dataset "emotions" (another edit changed it since). Nothing was changed: set the emotion in the label view instead.`,
      },
    })
    expect(await labelsOf(ids[0])).toEqual({ angry: 1, happy: 0, sad: 0 })
    const revert = await wb.router.call('labels.revert', { editId: a.editId!, imageId: ids[0], who: 'ana' })
    expect(revert).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { imageId: ids[0], codes: ['angry', 'sad'] } },
    })
  })

  it('refuses a redo that would do the same, and lets undo and redo in order go through', async () => {
    const a = await call('labels.edit', { changes: [{ imageId: ids[2], code: 'happy', value: 1 }], who: 'ana' })
    const undo = await call('labels.undo', { who: 'ana' })
    expect(await labelsOf(ids[2])).toEqual({ sad: 1 })
    const redo = await call('labels.redo', { editId: undo.editId!, who: 'ana' })
    expect(await labelsOf(ids[2])).toEqual({ angry: 0, happy: 1, sad: 0 })
    await call('labels.undo', { editId: redo.editId!, who: 'ana' })
    // Fear lies outside the redo's labels (happy, angry, sad): redoing would leave two emotions.
    const later = await call('labels.edit', { changes: [{ imageId: ids[2], code: 'fear', value: 1 }], who: 'ben' })
    expect(later.editId).toBeGreaterThan(a.editId!)
    const again = await wb.router.call('labels.redo', { who: 'ana' })
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', details: { codes: ['fear', 'happy'] } } })
    expect(await labelsOf(ids[2])).toEqual({ angry: 0, happy: 0, sad: 0, fear: 1 })
  })

  it('applies the same rule to bulk edits', async () => {
    const bulk = await call('labels.bulkEdit', {
      selection: { query: { datasetIds: [1] } },
      code: 'happy',
      value: 1,
      who: 'ana',
    })
    expect(bulk).toMatchObject({ images: 3 })
    for (const id of ids.slice(0, 3)) expect(await labelsOf(id)).toEqual({ angry: 0, happy: 1, sad: 0 })
  })

  it('lets a multi-label dataset keep several emotions, and says it is one', async () => {
    await call('labels.edit', { changes: [{ imageId: ids[3], code: 'happy', value: 1 }], who: 'ana' })
    await call('labels.edit', {
      changes: [
        { imageId: ids[3], code: 'angry', value: 1 },
        { imageId: ids[3], code: 'AU12', value: 1 },
      ],
      who: 'ana',
    })
    expect(await labelsOf(ids[3])).toEqual({ angry: 1, happy: 1, sad: 1, AU12: 1 })
    expect((await call('images.get', { id: ids[3] })).multiLabel).toBe(true)
    expect((await call('datasets.list', {})).map((d) => [d.name, d.multiLabel])).toEqual([
      ['emotions', false],
      ['votes', true],
      ['aus', false],
    ])
  })
})
