import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import { runCli } from '../../src/main/cli/index'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { testWorkbench } from '../helpers/workbench'

// FACS intensity A-E (1-5) on present AUs, for every caller: labels.edit, bulk edits, undo and redo,
// the history, the grid filter "AU12 at C or more" and `affect label --set AU12=C`.

let wb: ReturnType<typeof testWorkbench>
let ids: number[]

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}
const au12Of = async (id: number) => {
  const detail = await call('images.get', { id })
  const l = detail.labelDetails.find((d) => d.code === 'AU12')
  return l ? { value: l.value, intensity: l.intensity } : undefined
}
const browseIds = async (atLeast: number) =>
  (await call('images.browse', { classes: [{ code: 'AU12', state: 'present', atLeast }] })).items.map((i) => i.id)

beforeEach(() => {
  wb = testWorkbench()
  ids = seedCatalogue(wb.ctx.requireWorkspace().db, [
    {
      name: 'aus',
      classCodes: ['AU6', 'AU12'],
      images: [{ path: 'a/1.png', labels: { AU12: 1 } }, { path: 'a/2.png', labels: { AU12: 0 } }, { path: 'a/3.png' }],
    },
  ])
})
afterEach(() => wb.cleanup())

describe('FACS intensity', () => {
  it('is set with a present label, logged old and new in the history, and undone and redone with it', async () => {
    const first = await call('labels.edit', {
      changes: [{ imageId: ids[0], code: 'AU12', value: 1, intensity: 3 }],
      who: 'ana',
    })
    expect(first.changed).toBe(1)
    expect(await au12Of(ids[0])).toEqual({ value: 1, intensity: 3 })
    const second = await call('labels.edit', {
      changes: [{ imageId: ids[0], code: 'AU12', value: 1, intensity: 5 }],
      who: 'ana',
    })
    const history = (await call('images.get', { id: ids[0] })).history
    expect(history.map((e) => [e.oldValue, e.oldIntensity, e.newValue, e.newIntensity])).toEqual([
      [1, 3, 1, 5],
      [1, null, 1, 3],
    ])
    await call('labels.undo', { editId: second.editId!, who: 'ana' })
    expect(await au12Of(ids[0])).toEqual({ value: 1, intensity: 3 })
    await call('labels.redo', { who: 'ana' })
    expect(await au12Of(ids[0])).toEqual({ value: 1, intensity: 5 })
    // Absent clears it; present without an intensity means "present, intensity not coded".
    await call('labels.edit', { changes: [{ imageId: ids[0], code: 'AU12', value: 1 }], who: 'ana' })
    expect(await au12Of(ids[0])).toEqual({ value: 1, intensity: null })
  })

  it('refuses an intensity on an absent or unknown label, or outside A-E, naming the field', async () => {
    for (const change of [
      { imageId: ids[1], code: 'AU12', value: 0 as const, intensity: 2 },
      { imageId: ids[1], code: 'AU12', value: null, intensity: 2 },
      { imageId: ids[1], code: 'AU12', value: 1 as const, intensity: 6 },
      { imageId: ids[1], code: 'AU12', value: 1 as const, intensity: 2.5 },
    ]) {
      const result = await wb.router.call('labels.edit', { changes: [change], who: 'ana' })
      expect(result.ok, JSON.stringify(change)).toBe(false)
      if (!result.ok) expect(JSON.stringify(result.error.details)).toContain('changes.0.intensity')
    }
    expect(await au12Of(ids[1])).toEqual({ value: 0, intensity: null })
  })

  it('filters "AU12 at C or more", leaving out lower and uncoded intensities', async () => {
    await call('labels.edit', {
      changes: [
        { imageId: ids[0], code: 'AU12', value: 1, intensity: 3 },
        { imageId: ids[1], code: 'AU12', value: 1, intensity: 2 },
        { imageId: ids[2], code: 'AU12', value: 1 },
      ],
      who: 'ana',
    })
    expect(await browseIds(3)).toEqual([ids[0]])
    expect(await browseIds(2)).toEqual([ids[0], ids[1]])
    expect((await call('images.browse', { classes: [{ code: 'AU12', state: 'present', atLeast: 4 }] })).total).toBe(0)
    const refused = await wb.router.call('images.browse', { classes: [{ code: 'AU12', state: 'absent', atLeast: 2 }] })
    expect(refused.ok).toBe(false)
  })

  it('bulk edits a selection to "AU12 present at D" as one edit with one undo', async () => {
    const result = await call('labels.bulkEdit', {
      selection: { ids },
      code: 'AU12',
      value: 1,
      intensity: 4,
      who: 'ana',
    })
    expect(result).toMatchObject({ images: 3, changed: 3 })
    expect(await Promise.all(ids.map(au12Of))).toEqual(ids.map(() => ({ value: 1, intensity: 4 })))
    const event = (await call('images.get', { id: ids[1] })).history[0]
    expect(event).toMatchObject({ reason: 'bulk edit: AU12 present at D on 3 images', newIntensity: 4 })
    await call('labels.undo', { editId: result.editId!, who: 'ana' })
    expect(await Promise.all(ids.map(au12Of))).toEqual([
      { value: 1, intensity: null },
      { value: 0, intensity: null },
      undefined,
    ])
  })

  it('`affect label --set AU12=C` sets present at C, and AU12=1 still means present, intensity not coded', async () => {
    const cli = (value: string) =>
      runCli([
        'label',
        '--workspace',
        wb.ctx.requireWorkspace().path,
        '--image',
        String(ids[2]),
        '--set',
        value,
        '--who',
        'ana',
      ])
    vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')))
    vi.stubEnv('AFFECT_CONFIG_DIR', wb.dir)
    try {
      expect(await cli('AU12=C')).toBe(0)
      expect(await au12Of(ids[2])).toEqual({ value: 1, intensity: 3 })
      expect(await cli('AU12=1')).toBe(0)
      expect(await au12Of(ids[2])).toEqual({ value: 1, intensity: null })
      expect(await cli('AU12=F')).toBe(2)
    } finally {
      vi.unstubAllEnvs()
      vi.restoreAllMocks()
    }
    expect(errors.join('\n')).toContain('A-E (present at that FACS intensity)')
  })
})
