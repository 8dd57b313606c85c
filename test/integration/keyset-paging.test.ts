import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type {
  BrowseFilter,
  BrowsePage,
  BrowseSort,
  MethodArgs,
  MethodName,
  MethodResult,
} from '../../src/shared/contract'
import { browsePlan, fromWhere, orderBy } from '../../src/main/catalogue/browse-plan'
import { ANCHOR_EVERY } from '../../src/main/catalogue/page-anchors'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { storePredictions } from '../helpers/predictions'
import { testWorkbench } from '../helpers/workbench'

// The grid's pages come from a keyset seek from the nearest anchor (every ANCHOR_EVERY rows): they
// must be exactly the pages a plain OFFSET gives, in every sort, after every kind of change, and a
// page deep in the grid must not walk from the top again.

let wb: ReturnType<typeof testWorkbench>
let ids: number[]
let runId: number
const N = 2 * ANCHOR_EVERY + 600
const db = () => wb.ctx.requireWorkspace().db

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}

/** The page as a plain OFFSET query gives it (what keyset paging must reproduce). */
function reference(
  filter: BrowseFilter,
  sort: BrowseSort,
  order: 'asc' | 'desc',
  offset: number,
  limit: number,
): number[] {
  const plan = browsePlan(db(), filter, sort)
  return db()
    .prepare(`SELECT i.id ${fromWhere(plan)} ORDER BY ${orderBy(sort, order)} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...plan.params, limit, offset) as number[]
}

const OFFSETS = [0, ANCHOR_EVERY - 1, ANCHOR_EVERY, ANCHOR_EVERY + 1, 2 * ANCHOR_EVERY - 50, N - 30, N + 5]

async function expectSamePages(filter: BrowseFilter, sort: BrowseSort, order: 'asc' | 'desc'): Promise<void> {
  for (const offset of OFFSETS) {
    const page = (await call('images.browse', { ...filter, sort, order, offset, limit: 100 })) as BrowsePage
    expect(
      page.items.map((i) => i.id),
      `${JSON.stringify(filter)} ${sort} ${order} @${offset}`,
    ).toEqual(reference(filter, sort, order, offset, 100))
  }
}

beforeAll(() => {
  wb = testWorkbench()
  // Paths run against the ids, some images share a path prefix, AU12 known on some.
  const images = Array.from({ length: N }, (_, i) => ({
    path: `p${String((i * 7919) % N).padStart(5, '0')}.png`,
    split: (['train', 'val', 'test'] as const)[i % 3],
    labels: (i % 4 === 0 ? {} : { AU12: i % 3 === 0 ? 1 : 0 }) as Record<string, 0 | 1>,
  }))
  ids = seedCatalogue(db(), [
    { name: 'a', classCodes: ['AU12'], images: images.slice(0, N / 2) },
    { name: 'b', classCodes: ['AU12'], images: images.slice(N / 2) },
  ])
  // Predictions for two thirds of the images; a quarter of those have no AU12 label (disagreement NULL).
  runId = storePredictions(
    db(),
    new Map(ids.filter((_, i) => i % 3 !== 2).map((id, i) => [id, { AU12: ((i * 37) % 101) / 100 }])),
  )
})
afterAll(() => wb.cleanup())

describe('keyset paging of the catalogue grid', () => {
  it('gives the pages a plain OFFSET gives, in every sort and order', async () => {
    for (const [sort, order] of [
      ['id', 'asc'],
      ['id', 'desc'],
      ['path', 'asc'],
      ['path', 'desc'],
      ['dataset', 'desc'],
    ] as const)
      await expectSamePages({}, sort, order)
    await expectSamePages({ datasetIds: [2], splits: ['train', 'test'] }, 'path', 'asc')
    await expectSamePages({ classes: [{ code: 'AU12', state: 'absent' }] }, 'id', 'asc')
  })

  it('gives the same pages sorted by prediction scores, NULL disagreements included', async () => {
    for (const order of ['asc', 'desc'] as const) {
      await expectSamePages({ runId }, 'disagreement', order)
      await expectSamePages({ runId }, 'uncertainty', order)
    }
    await expectSamePages({ runId, confidence: { code: 'AU12', min: 0.2, max: 0.9 } }, 'id', 'desc')
  })

  it('follows label edits, review changes and new images at once', async () => {
    const present = { classes: [{ code: 'AU12', state: 'present' as const }] }
    await expectSamePages(present, 'id', 'asc')
    await call('labels.bulkEdit', { selection: { ids: ids.slice(0, 300) }, code: 'AU12', value: 1, who: 'ana' })
    await expectSamePages(present, 'id', 'asc')
    await expectSamePages({ runId }, 'disagreement', 'desc')

    const review = { review: ['to_review' as const] }
    await expectSamePages(review, 'path', 'asc')
    await call('images.setReview', { imageIds: ids.slice(100, 150), status: 'verified' })
    await call('images.setReview', { imageIds: ids.slice(1500, 1550), status: 'verified' })
    await call('images.setReview', { imageIds: ids.slice(100, 150), status: 'to_review' })
    await expectSamePages(review, 'path', 'asc')

    await expectSamePages({}, 'path', 'asc')
    seedCatalogue(db(), [
      { name: 'c', classCodes: ['AU12'], images: [{ path: 'p00000a.png' }, { path: 'a-first.png' }] },
    ])
    await expectSamePages({}, 'path', 'asc')
  })

  it('follows writes made by another connection (a CLI on the same workspace)', async () => {
    await expectSamePages({}, 'path', 'desc')
    const other = new Database(db().name)
    other.prepare("UPDATE images SET path = 'zzz-last.png' WHERE id = ?").run(ids[5])
    other.close()
    await expectSamePages({}, 'path', 'desc')
  })

  it('does not walk from the top again for a page deep in the grid', async () => {
    const deep = { sort: 'path' as const, order: 'asc' as const, offset: 2 * ANCHOR_EVERY + 300, limit: 100 }
    await call('images.browse', deep)
    const expected = reference({}, 'path', 'asc', deep.offset, 100)
    const offsets: number[] = []
    const { prototype } = Object.getPrototypeOf(db().prepare('SELECT 1')).constructor as {
      prototype: { all: (...a: unknown[]) => unknown; get: (...a: unknown[]) => unknown; source: string }
    }
    for (const method of ['all', 'get'] as const) {
      const original = prototype[method]
      vi.spyOn(prototype, method).mockImplementation(function (this: { source: string }, ...args: unknown[]) {
        const at = /OFFSET (\?|\d+)/.exec(this.source)
        if (at) offsets.push(at[1] === '?' ? (args.at(-1) as number) : Number(at[1]))
        return original.apply(this, args)
      })
    }
    try {
      const page = await call('images.browse', deep)
      expect(page.items.map((i) => i.id)).toEqual(expected)
    } finally {
      vi.restoreAllMocks()
    }
    expect(offsets.length).toBeGreaterThan(0)
    expect(Math.max(...offsets)).toBeLessThan(ANCHOR_EVERY)
  })
})
