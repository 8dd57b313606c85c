import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventPayload, ExportResult, MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import { exportsDir, findDownload } from '../../src/main/export/exports-service'
import { provideSaveDialog } from '../../src/main/export/save-dialog'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { testWorkbench } from '../helpers/workbench'

// exports.create as both transports use it: into the workspace's exports folder (headless download)
// or to the file a save dialog returns (desktop app), with progress events and the files' contents.

let wb: ReturnType<typeof testWorkbench>
let ids: number[]

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}

const readCsv = (file: string) => parse(readFileSync(file), { columns: true }) as Record<string, string>[]

beforeAll(async () => {
  wb = testWorkbench()
  const db = wb.ctx.requireWorkspace().db
  ids = seedCatalogue(db, [
    {
      name: 'faces',
      classCodes: ['happy', 'sad'],
      images: [
        { path: 'a.png', labels: { happy: 1, sad: 0 } },
        { path: 'b.png', labels: { happy: 0 } },
      ],
    },
    { name: 'aus', classCodes: ['AU12'], images: [{ path: 'c.png', labels: { AU12: 1 } }] },
  ])
  await call('labels.edit', {
    changes: [
      { imageId: ids[1], code: 'sad', value: 1 },
      { imageId: ids[0], code: 'happy', value: null },
    ],
    reason: 'looked again, "twice"',
    who: 'Ana',
  })
  // Run 1: stopped before it predicted anything.
  db.prepare(
    `INSERT INTO runs (name, method, network, config, datasets, status, snapshot_hash, snapshot_path, created_at) VALUES ('no predictions', 'sjmt', 'resnet-8', '{}', '[]', 'stopped', 'x', '', 0)`,
  ).run()
})
afterAll(() => wb.cleanup())

describe('exports into the workspace (headless download)', () => {
  it('writes the labels with unknown left empty and absent as 0, reporting progress to the end', async () => {
    const progress: EventPayload<'export.progress'>[] = []
    const off = wb.ctx.events.subscribe(
      (event, payload) => event === 'export.progress' && progress.push(payload as EventPayload<'export.progress'>),
    )
    const result = (await call('exports.create', { kind: 'labels' })) as ExportResult
    off()
    expect(result).toMatchObject({ kind: 'labels', rows: 3, savedTo: 'workspace', fileName: 'ws-labels.csv' })
    expect(result.file.startsWith(join(wb.ctx.requireWorkspace().path, 'exports', result.id))).toBe(true)
    expect(result.columns).toEqual([
      ...['image_id', 'path', 'dataset', 'split', 'review_status'],
      ...['source_path', 'face_index', 'face_x', 'face_y', 'face_width', 'face_height', 'face_score'],
      ...['happy', 'sad', 'AU12', 'AU12_r'],
    ])
    const rows = readCsv(result.file)
    // AU12 present without a coded intensity: AU12_r empty.
    expect(rows.map((r) => [r.path, r.happy, r.sad, r.AU12, r.AU12_r])).toEqual([
      ['a.png', '', '0', '', ''],
      ['b.png', '0', '1', '', ''],
      ['c.png', '', '', '1', ''],
    ])
    expect(progress.every((p) => p.exportId === result.id && p.kind === 'labels')).toBe(true)
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3 })
    const sidecar = JSON.parse(readFileSync(result.sidecar!, 'utf8'))
    expect(sidecar.datasets).toEqual([
      { name: 'aus', labelSpace: ['AU12'] },
      { name: 'faces', labelSpace: ['happy', 'sad'] },
    ])
  })

  it('writes the label edit log: who, when, why, old and new value (empty = unknown)', async () => {
    const result = (await call('exports.create', { kind: 'label-edits', datasets: ['faces'] })) as ExportResult
    const rows = readCsv(result.file)
    expect(rows.map((r) => [r.path, r.class, r.old_value, r.new_value, r.who, r.reason])).toEqual([
      ['b.png', 'sad', '', '1', 'Ana', 'looked again, "twice"'],
      ['a.png', 'happy', '1', '', 'Ana', 'looked again, "twice"'],
    ])
    expect(rows[0].edit_id).toBe(rows[1].edit_id)
    expect(new Date(rows[0].at).getTime()).toBeGreaterThan(0)
  })

  it('lists the exports and finds them by id only, never by a path', async () => {
    const list = await call('exports.list', {})
    expect(list.map((e) => e.kind)).toEqual(expect.arrayContaining(['labels', 'label-edits']))
    const labels = list.find((e) => e.kind === 'labels')!
    const ws = wb.ctx.requireWorkspace()
    expect(findDownload(ws, labels.id, 'csv')).toEqual({
      file: labels.file,
      folder: exportsDir(ws),
      name: 'ws-labels.csv',
      type: 'text/csv; charset=utf-8',
    })
    expect(findDownload(ws, labels.id, 'sidecar')?.name).toBe('ws-labels.json')
    for (const bad of ['..', '../exports', `${labels.id}/..`, 'x'.repeat(10), 'catalogue.sqlite'])
      expect(findDownload(ws, bad, 'csv')).toBeNull()
  })

  it('names the dataset that does not exist, and refuses a run without predictions', async () => {
    expect(await wb.router.call('exports.create', { kind: 'labels', datasets: ['nope'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', details: { field: 'datasets' } },
    })
    expect(await wb.router.call('exports.create', { kind: 'predictions' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments' },
    })
    expect(await wb.router.call('exports.create', { kind: 'predictions', runId: 1 })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/no predictions/) },
    })
  })
})

describe('exports to a file chosen in a save dialog (desktop app)', () => {
  it('refuses saveAs where there is no save dialog', async () => {
    expect(await wb.router.call('exports.create', { kind: 'labels', saveAs: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', details: { field: 'saveAs' } },
    })
  })

  it('writes where the user chose, or nothing when they cancel', async () => {
    const asked: string[] = []
    let answer: string | null = join(wb.dir, 'chosen labels.csv')
    provideSaveDialog(wb.ctx, async ({ suggestedName }) => {
      asked.push(suggestedName)
      return answer
    })
    const saved = (await call('exports.create', { kind: 'labels', saveAs: true })) as ExportResult
    expect(saved).toMatchObject({ savedTo: 'chosen', file: answer, fileName: 'chosen labels.csv', rows: 3 })
    expect(readCsv(saved.file)).toHaveLength(3)
    expect(asked).toEqual(['ws-labels.csv'])
    expect((await call('exports.list', {})).map((e) => e.id)).not.toContain(saved.id)

    answer = null
    expect(await call('exports.create', { kind: 'label-edits', saveAs: true })).toEqual({ cancelled: true })
    // Nothing to export: the dialog does not even open.
    expect(await wb.router.call('exports.create', { kind: 'predictions', runId: 1, saveAs: true })).toMatchObject({
      ok: false,
    })
    expect(asked).toHaveLength(2)
    expect(existsSync(join(wb.dir, 'chosen labels.json'))).toBe(true)
  })
})
