import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/main/cli/index'
import { CsvFile } from '../../src/main/export/csv-file'
import { exportLabelEdits } from '../../src/main/export/label-edits-csv'
import { exportLabels } from '../../src/main/export/labels-csv'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { tempDir, testWorkbench } from '../helpers/workbench'

// What an export writes when the text in the catalogue is hostile (formulas, NUL) and when the
// disk is full: cells a spreadsheet will not run, one line of explanation, no partial files left.

let wb: ReturnType<typeof testWorkbench>
let ids: number[]
const readCsv = (file: string) => parse(readFileSync(file), { columns: true }) as Record<string, string>[]

beforeAll(async () => {
  wb = testWorkbench()
  const db = wb.ctx.requireWorkspace().db
  ids = seedCatalogue(db, [
    {
      name: '=faces',
      classCodes: ['happy', 'sad'],
      images: [{ path: '-x.png', labels: { happy: 1 } }, { path: '@y.png' }],
    },
  ])
  const result = await wb.router.call('labels.edit', {
    changes: [{ imageId: ids[1], code: 'sad', value: 1 }],
    reason: '=HYPERLINK("http://example.com/x","click")',
    who: '+ana',
  })
  expect(result.ok).toBe(true)
  // A reason stored before names and reasons were checked: a NUL inside.
  db.prepare(
    "INSERT INTO label_events (edit_id, image_id, class_id, old_value, new_value, who, at, reason) VALUES (99, ?, 1, NULL, 0, 'old', 0, ?)",
  ).run(ids[0], 'bad\u0000byte')
})
afterAll(() => wb.cleanup())
afterEach(() => vi.restoreAllMocks())

describe('text cells of CSV exports', () => {
  it('neutralise formulas in the edit log and never write NUL', async () => {
    const file = join(wb.dir, 'edits.csv')
    await exportLabelEdits(wb.ctx.requireWorkspace().db, file)
    const bytes = readFileSync(file)
    expect(bytes.includes(0)).toBe(false)
    const rows = readCsv(file)
    // Choosing sad marked happy absent (one emotion per image): two rows for that edit.
    expect(rows.map((r) => [r.who, r.dataset, r.path, r.class, r.reason])).toEqual([
      ["'+ana", "'=faces", "'@y.png", 'sad', `'=HYPERLINK("http://example.com/x","click")`],
      ["'+ana", "'=faces", "'@y.png", 'happy', `'=HYPERLINK("http://example.com/x","click")`],
      ['old', "'=faces", "'-x.png", 'angry', 'bad\uFFFDbyte'],
    ])
    expect(rows[0].new_value).toBe('1')
  })

  it('neutralise text cells only: numbers stay numbers, even negative ones', async () => {
    const file = join(wb.dir, 'cells.csv')
    await CsvFile.writeAll(file, ['text', 'number', 'empty'], async (csv) => {
      await csv.write(['-0.5', -0.5, ''])
      await csv.write(['\tindented', 0, null])
    })
    expect(readFileSync(file, 'utf8')).toBe("text,number,empty\n'-0.5,-0.5,\n'\tindented,0,\n")
  })

  it('neutralise paths and dataset names in the labels export', async () => {
    const file = join(wb.dir, 'labels.csv')
    await exportLabels(wb.ctx.requireWorkspace().db, file)
    expect(readCsv(file).map((r) => [r.path, r.dataset, r.happy, r.sad])).toEqual([
      ["'-x.png", "'=faces", '1', ''],
      ["'@y.png", "'=faces", '0', '1'],
    ])
    expect(JSON.parse(readFileSync(join(wb.dir, 'labels.json'), 'utf8')).textCells).toMatch(/leading '/)
  })
})

// /dev/full answers every write with ENOSPC, as a full disk does: the temporary file the export
// writes first is made a link to it.
const onFullDisk = (file: string) => symlinkSync('/dev/full', `${file}.${process.pid}.partial`)

describe('an export on a full disk', () => {
  it('fails with one line naming the file, and leaves no partial file', async () => {
    const dir = join(tempDir(), 'out')
    mkdirSync(dir)
    const file = join(dir, 'labels.csv')
    onFullDisk(file)
    await expect(exportLabels(wb.ctx.requireWorkspace().db, file)).rejects.toMatchObject({
      code: 'export_failed',
      message: `Could not write ${file}: the disk is full: free some space and try again. Nothing was written.`,
    })
    expect(readdirSync(dir)).toEqual([])
  })

  it('removes the CSV when its sidecar cannot be written: both files or neither', async () => {
    const dir = join(tempDir(), 'out')
    mkdirSync(dir)
    onFullDisk(join(dir, 'labels.json'))
    await expect(exportLabels(wb.ctx.requireWorkspace().db, join(dir, 'labels.csv'))).rejects.toMatchObject({
      code: 'export_failed',
      details: { file: join(dir, 'labels.json'), errno: 'ENOSPC' },
    })
    expect(readdirSync(dir)).toEqual([])
  })

  it('`affect export labels --out` says so in one line and exits 1', async () => {
    const workspace = wb.ctx.requireWorkspace().path
    const dir = join(tempDir(), 'out')
    mkdirSync(dir)
    const file = join(dir, 'labels.csv')
    onFullDisk(file)
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')))
    vi.stubEnv('AFFECT_CONFIG_DIR', join(wb.dir, 'cli-config'))
    try {
      expect(await runCli(['export', 'labels', '--workspace', workspace, '--out', file])).toBe(1)
    } finally {
      vi.unstubAllEnvs()
    }
    expect(errors).toEqual([
      `affect: Could not write ${file}: the disk is full: free some space and try again. Nothing was written.`,
    ])
    expect(existsSync(file)).toBe(false)
    expect(readdirSync(dir)).toEqual([])
  })
})
