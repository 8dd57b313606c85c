import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import type { CallResult } from '../../src/shared/errors'
import { labAdmin, type Caller } from '../../src/main/app/caller'
import { buildSnapshot } from '../../src/main/runs/build-snapshot'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { callOk } from '../helpers/call'
import { testWorkbench } from '../helpers/workbench'

// Issue 14 through the router: coders, assignments, blind coding, consensus, adjudication, and what
// a lab server's coder may call.

let wb: ReturnType<typeof testWorkbench>
let ids: number[]
const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callOk(wb, method, args)
const callAs = <M extends MethodName>(caller: Caller, method: M, args: MethodArgs<M>) =>
  wb.router.call(method, args, caller) as Promise<CallResult<MethodResult<M>>>
const errorOf = async (p: Promise<CallResult<unknown>>) => {
  const r = await p
  if (r.ok) throw new Error('expected a refusal')
  return r.error
}
const coderCaller = (name: string, coderId: number): Caller => ({ lab: true, name, role: 'coder', coderId })

beforeEach(() => {
  wb = testWorkbench()
  const db = wb.ctx.requireWorkspace().db
  const emotions = ['happy', 'sad', 'neutral']
  ids = seedCatalogue(db, [
    {
      name: 'lab',
      classCodes: ['happy', 'sad', 'neutral', 'AU6', 'AU12'],
      images: Array.from({ length: 30 }, (_, n) => ({
        path: `${n}.png`,
        labels: { [emotions[n % 3]]: 1 },
      })),
    },
    { name: 'empty', classCodes: ['AU12'], images: [] },
  ])
})
afterEach(() => wb.cleanup())

describe('coders and assignments', () => {
  it('creates coders with a token kept only as its hash, and refuses a taken name', async () => {
    const { coder, token } = await call('coders.create', { name: 'Ana' })
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const stored = wb.ctx
      .requireWorkspace()
      .db.prepare('SELECT token_hash FROM coders WHERE id = ?')
      .pluck()
      .get(coder.id)
    expect(stored).not.toContain(token)
    const taken = await errorOf(wb.router.call('coders.create', { name: 'ana' }))
    expect(taken).toMatchObject({ code: 'conflict', details: { field: 'name' } })
    expect(taken.message).toContain('"Ana" is already taken')
  })

  it('samples the same stratified images for every coder, reproducibly, and refuses bad requests by name', async () => {
    await call('coders.create', { name: 'Ana' })
    await call('coders.create', { name: 'Ben' })
    const a = await call('assignments.create', { dataset: 'lab', coders: ['Ana', 'Ben'], images: 9, seed: 7 })
    expect(a.progress.map((p) => [p.coder, p.total, p.committed])).toEqual([
      ['Ana', 9, 0],
      ['Ben', 9, 0],
    ])
    const ana = await call('queue.get', { coder: 'Ana' })
    const ben = await call('queue.get', { coder: 'Ben' })
    expect(ana.items.map((i) => i.imageId)).toEqual(ben.items.map((i) => i.imageId))
    // Stratified by the current emotion: 3 of each of the three.
    const db = wb.ctx.requireWorkspace().db
    const perEmotion = db
      .prepare(
        `SELECT c.code, count(*) AS n FROM labels l JOIN classes c ON c.id = l.class_id
        WHERE l.image_id IN (SELECT value FROM json_each(?)) AND l.value = 1 GROUP BY c.code ORDER BY c.code`,
      )
      .all(JSON.stringify(ana.items.map((i) => i.imageId)))
    expect(perEmotion).toEqual([
      { code: 'happy', n: 3 },
      { code: 'neutral', n: 3 },
      { code: 'sad', n: 3 },
    ])
    const again = await call('assignments.create', { dataset: 'lab', coders: ['Ana'], percent: 30, seed: 7 })
    expect(
      (await call('queue.get', { coder: 'Ana' })).items
        .filter((i) => i.assignmentId === again.id)
        .map((i) => i.imageId),
    ).toEqual(ana.items.map((i) => i.imageId))

    const before = db.prepare('SELECT count(*) FROM assignment_items').pluck().get()
    expect(
      await errorOf(wb.router.call('assignments.create', { dataset: 'lab', coders: ['Ana', 'Zoe'], images: 2 })),
    ).toMatchObject({
      code: 'not_found',
      details: { field: 'coders[1]', name: 'Zoe' },
    })
    expect(
      await errorOf(wb.router.call('assignments.create', { dataset: 'empty', coders: ['Ana'], images: 2 })),
    ).toMatchObject({
      code: 'invalid_arguments',
      message: expect.stringContaining('"empty" has no images'),
    })
    expect(
      await errorOf(wb.router.call('assignments.create', { dataset: 'nope', coders: ['Ana'], images: 2 })),
    ).toMatchObject({
      code: 'not_found',
      details: { field: 'dataset' },
    })
    await call('coders.revoke', { name: 'Ben' })
    expect(
      await errorOf(wb.router.call('assignments.create', { dataset: 'lab', coders: ['Ben'], images: 2 })),
    ).toMatchObject({
      details: { field: 'coders[0]' },
    })
    expect(db.prepare('SELECT count(*) FROM assignment_items').pluck().get()).toBe(before)
  })
})

describe('blind coding, consensus and adjudication', () => {
  async function twoCoders() {
    const ana = (await call('coders.create', { name: 'Ana' })).coder
    const ben = (await call('coders.create', { name: 'Ben' })).coder
    await call('assignments.create', { dataset: 'lab', coders: ['Ana', 'Ben'], images: 4, seed: 3 })
    const [imageId] = (await call('queue.get', { coder: 'Ana' })).items.map((i) => i.imageId)
    return { ana: coderCaller('Ana', ana.id), ben: coderCaller('Ben', ben.id), imageId }
  }

  it('hides the other codes, the consensus and the predictions until the coder commits; keeps the blind answer and the change', async () => {
    const { ana, ben, imageId } = await twoCoders()
    const saved = await callAs(ana, 'codings.save', { imageId, changes: [{ code: 'AU12', value: 1, intensity: 3 }] })
    expect(saved).toMatchObject({ ok: true, value: { changed: 1 } })
    const blindView = await callAs(ben, 'codings.image', { imageId })
    expect(blindView.ok && blindView.value).toMatchObject({
      blind: true,
      others: {},
      consensus: [],
      predictions: null,
      image: { labels: {} },
    })
    await callAs(ben, 'codings.save', { imageId, changes: [{ code: 'AU12', value: 0 }] })
    const committed = await callAs(ben, 'codings.commit', { imageId })
    expect(committed.ok && committed.value).toMatchObject({
      blind: false,
      others: { Ana: [{ code: 'AU12', value: 1, intensity: 3 }] },
    })
    await callAs(ben, 'codings.save', { imageId, changes: [{ code: 'AU12', value: 1, intensity: 3 }] })
    const db = wb.ctx.requireWorkspace().db
    expect(
      db
        .prepare('SELECT new_value, blind FROM coding_events WHERE coder_id = ? AND image_id = ? ORDER BY id')
        .all(ben.coderId, imageId),
    ).toEqual([
      { new_value: 0, blind: 1 },
      { new_value: 1, blind: 0 },
    ])
    // Both now agree: the consensus follows them.
    expect(
      db
        .prepare(
          "SELECT value, intensity FROM labels WHERE image_id = ? AND class_id = (SELECT id FROM classes WHERE code = 'AU12')",
        )
        .get(imageId),
    ).toEqual({ value: 1, intensity: 3 })
  })

  it('refuses a code outside the dataset by name and writes nothing', async () => {
    const { ana, imageId } = await twoCoders()
    const refused = await errorOf(
      callAs(ana, 'codings.save', {
        imageId,
        changes: [
          { code: 'AU12', value: 1 },
          { code: 'AU4', value: 1 },
        ],
      }),
    )
    expect(refused).toMatchObject({
      code: 'invalid_arguments',
      details: { field: 'changes[1].code', code: 'AU4', dataset: 'lab' },
    })
    expect(wb.ctx.requireWorkspace().db.prepare('SELECT count(*) FROM codings').pluck().get()).toBe(0)
  })

  it('queues disagreements, most first; an adjudication sets the consensus with its reason and leaves the queue', async () => {
    const { ana, ben, imageId } = await twoCoders()
    await callAs(ana, 'codings.save', {
      imageId,
      changes: [
        { code: 'AU12', value: 1 },
        { code: 'AU6', value: 1 },
      ],
    })
    await callAs(ben, 'codings.save', {
      imageId,
      changes: [
        { code: 'AU12', value: 0 },
        { code: 'AU6', value: 0 },
      ],
    })
    const db = wb.ctx.requireWorkspace().db
    const au6 = (snapshot: ReturnType<typeof buildSnapshot>) => {
      const row = snapshot.images.findIndex((i) => i.id === imageId)
      const col = snapshot.classes.findIndex((c) => c.code === 'AU6')
      return [snapshot.labels[row * snapshot.classes.length + col], snapshot.mask[row * snapshot.classes.length + col]]
    }
    expect(au6(buildSnapshot(db, { datasets: ['lab'] }))).toEqual([1, 1])
    const queue = await call('adjudication.queue', { coders: ['Ana', 'Ben'] })
    expect(queue.total).toBe(1)
    expect(queue.items[0]).toMatchObject({ image: { id: imageId }, disagreements: ['AU6', 'AU12'] })
    expect(Object.keys(queue.items[0].codings)).toEqual(['Ana', 'Ben'])
    const decided = await call('adjudication.resolve', {
      imageId,
      labels: [
        { code: 'AU12', value: 1 },
        { code: 'AU6', value: 0 },
      ],
      reason: 'lip corners clearly raised',
    })
    // Ana coded first, alone: her codes were the consensus until Ben disagreed; AU6 changes, AU12 stays.
    expect(decided.changed).toBe(1)
    expect(decided.after).toEqual(['AU6', 'AU12'])
    // The next training run trains on the adjudicated consensus.
    expect(au6(buildSnapshot(db, { datasets: ['lab'] }))).toEqual([0, 1])
    expect(
      db.prepare('SELECT reason, old_value, new_value FROM label_events WHERE edit_id = ?').all(decided.editId),
    ).toEqual([{ reason: 'adjudication: lip corners clearly raised', old_value: 1, new_value: 0 }])
    expect((await call('adjudication.queue', { coders: ['Ana', 'Ben'] })).total).toBe(0)
  })
})

describe('lab callers', () => {
  it('lets a coder call only coder methods, and never name who edits', async () => {
    const ana = (await call('coders.create', { name: 'Ana' })).coder
    const asAna = coderCaller('Ana', ana.id)
    expect(await errorOf(callAs(asAna, 'coders.create', { name: 'Eve' }))).toMatchObject({ code: 'forbidden' })
    expect(
      await errorOf(callAs(asAna, 'labels.edit', { changes: [{ imageId: ids[0], code: 'AU12', value: 1 }] })),
    ).toMatchObject({
      code: 'forbidden',
    })
    expect(
      await errorOf(
        callAs(asAna, 'codings.save', { imageId: ids[0], coder: 'Ben', changes: [{ code: 'AU12', value: 1 }] }),
      ),
    ).toMatchObject({
      code: 'forbidden',
      details: { field: 'coder' },
    })
    const admin = labAdmin('Lab admin')
    expect(
      await errorOf(
        callAs(admin, 'labels.edit', { who: 'Ana', changes: [{ imageId: ids[0], code: 'AU12', value: 1 }] }),
      ),
    ).toMatchObject({
      code: 'forbidden',
      details: { field: 'who' },
    })
    const edited = await callAs(admin, 'labels.edit', { changes: [{ imageId: ids[0], code: 'AU12', value: 1 }] })
    expect(edited.ok).toBe(true)
    const db = wb.ctx.requireWorkspace().db
    expect(db.prepare('SELECT who FROM label_events ORDER BY id DESC LIMIT 1').pluck().get()).toBe('Lab admin')
    expect(await callAs(asAna, 'session.get', {})).toEqual({
      ok: true,
      value: { lab: true, name: 'Ana', role: 'coder' },
    })
  })

  it('records a local edit as the coding of its annotator too (one coder alone: their coding is the consensus)', async () => {
    await call('labels.edit', { who: 'Solo', changes: [{ imageId: ids[0], code: 'AU12', value: 1 }] })
    const db = wb.ctx.requireWorkspace().db
    expect(
      db
        .prepare('SELECT c.name, k.value FROM codings k JOIN coders c ON c.id = k.coder_id WHERE k.image_id = ?')
        .all(ids[0]),
    ).toEqual([{ name: 'Solo', value: 1 }])
  })
})
