import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/main/cli/index'
import { importDataset } from '../../src/main/import/import-dataset'
import type { DatasetReader, ReaderItem } from '../../src/main/import/record'
import { writeCorruptPng, writePng } from '../helpers/images'
import { tempDir, testWorkbench } from '../helpers/workbench'

let wb: ReturnType<typeof testWorkbench>
let data: string

beforeEach(async () => {
  wb = testWorkbench()
  data = join(wb.dir, 'study')
  for (let i = 1; i <= 4; i++) await writePng(join(data, 'img', `f${i}.png`), i)
  copyFileSync(join(data, 'img', 'f1.png'), join(data, 'img', 'copy-of-f1.png'))
  writeCorruptPng(join(data, 'img', 'broken.png'))
  await writePng(join(wb.dir, 'outside.png'), 99)
  writeFileSync(
    join(data, 'labels.csv'),
    [
      'path,split,happy,sad,AU12',
      'img/f1.png,train,1,0,1',
      'img/f2.png,val,0,1,',
      'img/f3.png,test,?,,0',
      'img/f4.png,train,0,0,?',
      'img/missing.png,train,1,0,0',
      'img/broken.png,train,1,0,0',
      '../outside.png,train,1,0,0',
      'img/copy-of-f1.png,train,1,0,1',
    ].join('\n'),
  )
})
afterEach(() => wb.cleanup())

const ws = () => wb.ctx.requireWorkspace()

describe('import', () => {
  it('imports a CSV dataset in place and reports each skipped row with its reason', async () => {
    const report = await importDataset(ws(), {
      format: 'csv',
      faces: 'whole',
      path: join(data, 'labels.csv'),
      name: 'study',
    })
    expect(report.imported).toBe(4)
    expect(report.skippedByReason).toEqual({
      'missing image': 1,
      'unreadable image': 1,
      'path escapes root': 1,
      'duplicate content': 1,
    })
    const rows = Object.fromEntries(report.issues.map((i) => [i.row, i.reason]))
    expect(rows).toEqual({ 6: 'missing image', 7: 'unreadable image', 8: 'path escapes root', 9: 'duplicate content' })
    expect(report.issues.every((i) => i.file === 'labels.csv')).toBe(true)
    // Pictures no larger than a thumbnail are shown as themselves: none is drawn for them.
    expect(readdirSync(ws().thumbnailsDir)).toEqual([])
  })

  it('keeps unknown apart from absent end to end', async () => {
    await importDataset(ws(), { format: 'csv', faces: 'whole', path: join(data, 'labels.csv'), name: 'study' })
    const page = await wb.router.call('images.page', { sort: 'path' })
    if (!page.ok) throw new Error(page.error.message)
    const labels = Object.fromEntries(
      (page.value as { items: { path: string; labels: Record<string, number> }[] }).items.map((i) => [
        i.path,
        i.labels,
      ]),
    )
    expect(labels).toEqual({
      'img/f1.png': { happy: 1, sad: 0, AU12: 1 },
      'img/f2.png': { happy: 0, sad: 1 },
      'img/f3.png': { AU12: 0 },
      'img/f4.png': { happy: 0, sad: 0 },
    })
    const stats = await wb.router.call('labels.availability', {})
    if (!stats.ok) throw new Error(stats.error.message)
    expect((stats.value as { datasets: { labels: Record<string, unknown> }[] }).datasets[0].labels).toEqual({
      happy: { present: 1, absent: 2, unknown: 1 },
      sad: { present: 1, absent: 2, unknown: 1 },
      AU12: { present: 1, absent: 1, unknown: 2 },
    })
  })

  it('adds nothing when the same data is imported again', async () => {
    await importDataset(ws(), { format: 'csv', faces: 'whole', path: join(data, 'labels.csv'), name: 'study' })
    const again = await importDataset(ws(), {
      format: 'csv',
      faces: 'whole',
      path: join(data, 'labels.csv'),
      name: 'study',
    })
    expect(again.imported).toBe(0)
    expect(again.alreadyImported).toBe(4)
    expect(ws().info().images).toBe(4)
  })

  it('leaves the catalogue as it was when the import fails midway', async () => {
    const failing: DatasetReader = {
      format: 'csv',
      describe: 'fails after two images',
      labelSpace: async () => ['happy'],
      async *read(): AsyncGenerator<ReaderItem> {
        yield {
          kind: 'record',
          source: { file: 'x.csv', row: 2 },
          image: { type: 'file', path: join(data, 'img', 'f2.png') },
          labels: { happy: { value: 1 } },
        }
        yield {
          kind: 'record',
          source: { file: 'x.csv', row: 3 },
          image: { type: 'file', path: join(data, 'img', 'f3.png') },
          labels: { happy: { value: 0 } },
        }
        throw new Error('disk unplugged')
      },
    }
    await expect(
      importDataset(ws(), { format: 'csv', faces: 'whole', path: data, name: 'half' }, undefined, failing),
    ).rejects.toThrow('disk unplugged')
    expect(ws().info()).toMatchObject({ datasets: 0, images: 0 })
  })

  it('refuses a dataset name already used by another source', async () => {
    await importDataset(ws(), { format: 'csv', faces: 'whole', path: join(data, 'labels.csv'), name: 'study' })
    await expect(importDataset(ws(), { format: 'folder', faces: 'whole', path: data, name: 'study' })).rejects.toThrow(
      /already exists/,
    )
  })
})

describe('the import report', () => {
  beforeEach(() => {
    process.env.AFFECT_CONFIG_DIR = wb.dir
  })
  afterEach(() => {
    delete process.env.AFFECT_CONFIG_DIR
  })

  /** A CSV naming one image that exists and `missing` that do not. */
  async function manyMissing(missing: number): Promise<string> {
    const dir = join(wb.dir, 'many')
    await writePng(join(dir, 'ok.png'), 5)
    const rows = ['path,happy', 'ok.png,1', ...Array.from({ length: missing }, (_, i) => `gone${i}.png,1`)]
    writeFileSync(join(dir, 'labels.csv'), rows.join('\n'))
    return join(dir, 'labels.csv')
  }

  it('lists at most 200 issues of one reason, counts the rest, and writes every issue to a CSV file', async () => {
    const report = await importDataset(ws(), {
      format: 'csv',
      faces: 'whole',
      path: await manyMissing(450),
      name: 'many',
    })
    expect(report).toMatchObject({
      imported: 1,
      skipped: 450,
      skippedByReason: { 'missing image': 450 },
      issuesLeftOff: { 'missing image': 250 },
    })
    expect(report.issues).toHaveLength(200)
    expect(report.issues[199]).toMatchObject({ row: 202, detail: 'gone199.png does not exist' })
    const rows = parse(readFileSync(report.issuesFile!)) as string[][]
    expect(rows[0]).toEqual(['file', 'row', 'column', 'reason', 'outcome', 'detail'])
    expect(rows).toHaveLength(451)
    expect(rows[450]).toEqual(['labels.csv', '452', '', 'missing image', 'skipped', 'gone449.png does not exist'])
  })

  it('keeps the CLI output short and points to the full list', async () => {
    const path = await manyMissing(450)
    const printed: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line))
    try {
      expect(
        await runCli(['import', '--workspace', join(wb.dir, 'cli-ws'), '--format', 'csv', '--faces', 'whole', path]),
      ).toBe(0)
    } finally {
      log.mockRestore()
    }
    expect(printed.length).toBeLessThan(30)
    expect(printed).toContain('  skipped, missing image: 450')
    expect(printed.at(-3)).toMatch(/^ {4}\.\.\. and 430 more \(every issue is listed in .+\.issues\.csv\)$/)
  })

  it('names a file that is not an xlsx workbook, instead of "Unexpected error: invalid signature"', async () => {
    const dir = join(wb.dir, 'emotionet')
    await writePng(join(dir, 'images', 'a.jpg'), 3)
    writeFileSync(join(dir, 'emotionet_facs_24600.xlsx'), 'URL,AU 1\nhttp://x/a.jpg,1\n')
    const said: string[] = []
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void said.push(line))
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    try {
      expect(await runCli(['import', '--workspace', join(wb.dir, 'cli-ws'), '--format', 'emotionet', dir])).toBe(1)
    } finally {
      error.mockRestore()
      log.mockRestore()
    }
    expect(said).toEqual([
      `affect: Nothing could be imported from ${dir}: unreadable file (emotionet_facs_24600.xlsx: emotionet_facs_24600.xlsx is not an xlsx workbook (zip signature missing); file skipped).`,
    ])
  })
})

describe('import killed with SIGKILL', () => {
  it('leaves a valid, unchanged catalogue', async () => {
    const dir = tempDir()
    const big = join(dir, 'big')
    const lines = ['path,happy']
    for (let i = 0; i < 600; i++) {
      await writePng(join(big, `i${i}.png`), i, 160) // larger than a thumbnail: each gets one drawn
      lines.push(`i${i}.png,${i % 2}`)
    }
    writeFileSync(join(big, 'labels.csv'), lines.join('\n'))
    const workspace = join(dir, 'ws')
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'affect.mjs')
    const child = spawn(
      process.execPath,
      [bin, 'import', '--workspace', workspace, '--format', 'csv', '--faces', 'whole', join(big, 'labels.csv')],
      { env: { ...process.env, AFFECT_CONFIG_DIR: dir }, stdio: 'ignore' },
    )
    // Kill as soon as it is writing thumbnails, i.e. in the middle of the import.
    const thumbs = join(workspace, 'thumbnails')
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline && !(existsSync(thumbs) && readdirSync(thumbs).length > 3))
      await new Promise((r) => setTimeout(r, 20))
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    const db = new Database(join(workspace, 'catalogue.sqlite'))
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(
      db.prepare('SELECT (SELECT count(*) FROM images) AS images, (SELECT count(*) FROM datasets) AS datasets').get(),
    ).toEqual({ images: 0, datasets: 0 })
    db.close()
  })
})
