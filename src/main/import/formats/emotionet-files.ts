import { open } from 'node:fs/promises'
import { dirname } from 'node:path'
import ExcelJS from 'exceljs'
import { auNumberOf } from '../../../shared/labels'
import type { ImportIssue, ImportRecord, LabelEntry } from '../record'
import { catalogueAu } from './common/classes'
import { columnsOf, csvRows, duplicateColumn, emptyFile, isIssue, noDataRows, wrongHeader } from './common/csv-rows'
import type { DatasetRoot } from './common/root'
import { quoted } from './common/shown'

// The three EmotioNet label files. In all of them 0 is absent, 1 present and 999, -1 or blank not
// coded, so only 0 and 1 become labels; any other value is reported and left unknown. Images are
// the ones the user fetched: the manual set and the challenge lists name URLs, found locally by
// their file name.

/** 0 / 1 for a coded cell; null (not coded) for 999, -1 or blank; undefined for anything else. */
export function auValue(raw: unknown): 0 | 1 | null | undefined {
  const text = String(raw ?? '').trim()
  if (text === '') return null
  const n = Number(text)
  return n === 0 ? 0 : n === 1 ? 1 : n === 999 || n === -1 ? null : undefined
}

interface AuColumn {
  index: number
  code: string
  header: string
}

/** AU columns: header -> catalogue AU code; AU numbers the catalogue lacks (3, 51...) are left out. */
function auColumns(header: string[], from = 0): AuColumn[] {
  const out: AuColumn[] = []
  header.forEach((h, index) => {
    const n = index >= from ? auNumberOf(h.trim().replace(/^['"]|['"]$/g, '')) : undefined
    const code = n === undefined ? undefined : catalogueAu(n)
    if (code) out.push({ index, code, header: h.trim() })
  })
  return out
}

/** The 'wrong header' issue when two columns name one AU (`AU 12` twice, or `AU12` and `'AU 12'`). */
function sameAuTwice(file: string, columns: AuColumn[], row = 1): ImportIssue | undefined {
  const seen = new Map<string, AuColumn>()
  for (const c of columns) {
    const first = seen.get(c.code)
    if (first)
      return {
        kind: 'issue',
        file,
        row,
        column: c.header,
        reason: 'wrong header',
        detail: `columns ${first.index + 1} (${quoted(first.header)}) and ${c.index + 1} (${quoted(c.header)}) both name ${c.code}: which one holds the labels is unclear; file skipped`,
      }
    seen.set(c.code, c)
  }
  return undefined
}

/** Known labels of a row, and a 'bad label value' issue per cell that is no EmotioNet code. */
function labelsOf(
  cells: unknown[],
  columns: AuColumn[],
  at: { file: string; row: number },
): { labels: Record<string, LabelEntry>; issues: ImportIssue[] } {
  const labels: Record<string, LabelEntry> = {}
  const issues: ImportIssue[] = []
  for (const c of columns) {
    const value = auValue(cells[c.index])
    if (value === 0 || value === 1) labels[c.code] = { value }
    else if (value === undefined) {
      const detail = `${c.header} ${quoted(String(cells[c.index]).trim())} is not 0, 1, 999, -1 or blank; ${c.code} left unknown`
      issues.push({ kind: 'issue', ...at, column: c.header, reason: 'bad label value', detail, kept: true })
    }
  }
  return { labels, issues }
}

/** The local file name of an image URL (query dropped, %-escapes decoded). */
export function urlFileName(url: string): string {
  const text = url.trim()
  let path = text
  try {
    path = new URL(text).pathname
  } catch {
    /* not a URL: a path or a bare name */
  }
  const last = path.split(/[\\/]/).filter(Boolean).pop() ?? ''
  try {
    return decodeURIComponent(last)
  } catch {
    return last
  }
}

/**
 * One labelled row before its image is looked up: the image as written, where to resolve it, and
 * the issues about its values (reported only when the image is there to be imported).
 */
export interface LabelRow {
  at: { file: string; row: number }
  written: string
  base: string
  labels: Record<string, LabelEntry>
  notes: ImportIssue[]
}

/**
 * Cell value of exceljs as text: rich text and formula results included. The streaming reader gives
 * a hyperlink's shown text (Excel shows a pasted URL as itself), not its target.
 */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v !== 'object') return String(v)
  const o = v as { text?: unknown; hyperlink?: string; richText?: { text: string }[]; result?: unknown }
  if (o.richText) return o.richText.map((r) => r.text).join('')
  if (o.hyperlink) return o.hyperlink
  if (o.text !== undefined) return cellText(o.text)
  if (o.result !== undefined) return cellText(o.result)
  return ''
}

/** A row naming its image by URL: the image is the fetched file of the same name in the images folder. */
function urlRow(
  at: { file: string; row: number },
  url: string,
  imagesDir: string,
  cells: unknown[],
  columns: AuColumn[],
): LabelRow | ImportIssue {
  const name = urlFileName(url)
  if (!name || name === '.' || name === '..')
    return {
      kind: 'issue',
      ...at,
      reason: 'malformed row',
      detail: `URL ${quoted(url.trim())} names no image file; row skipped`,
    }
  const { labels, issues } = labelsOf(cells, columns, at)
  return { at, written: name, base: imagesDir, labels, notes: issues }
}

const MANUAL_HEADER = ['URL', "'AU 1'", "'AU 2'", '...', "'AU 43'"]

/** Why a file is no xlsx workbook (an xlsx is a zip: it starts with PK\x03\x04), or undefined. */
async function notXlsx(abs: string): Promise<string | undefined> {
  const handle = await open(abs)
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0)
    if (bytesRead === 0) return 'the file is empty'
    return buffer.subarray(0, bytesRead).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
      ? undefined
      : 'zip signature missing'
  } finally {
    await handle.close()
  }
}

/** The manual set's first sheet; the caller turns a broken workbook into an issue. */
async function* sheetRows(
  file: string,
  abs: string,
  imagesDir: string,
  headerOnly: boolean,
): AsyncGenerator<LabelRow | ImportIssue | string[]> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(abs, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
  })
  for await (const sheet of workbook) {
    let columns: AuColumn[] | undefined
    let url = -1
    let dataRows = 0
    for await (const row of sheet) {
      const cells = Array.from(row.values as unknown[], cellText) // sparse, 1-based: holes become ""
      if (!columns) {
        columns = auColumns(cells)
        url = cells.findIndex((c) => c.trim().toLowerCase() === 'url')
        if (url < 0 || !columns.length) {
          yield wrongHeader(file, MANUAL_HEADER, cells.slice(1), ['URL', "'AU 1'..."])
          return
        }
        const twice = duplicateColumn(file, cells, ['URL']) ?? sameAuTwice(file, columns, row.number)
        if (twice) {
          yield twice
          return
        }
        if (headerOnly) {
          yield columns.map((c) => c.code)
          return
        }
        continue
      }
      if (!cells[url]?.trim()) continue
      dataRows++
      yield urlRow({ file, row: row.number }, cells[url], imagesDir, cells, columns)
    }
    if (!columns) yield emptyFile(file)
    else if (!dataRows) yield noDataRows(file)
    return // the manual set is the first sheet; any other sheet is notes
  }
  yield emptyFile(file)
}

/**
 * emotionet_facs_24600.xlsx, first sheet: URL, then 'AU 1' ... 'AU 43'. With `headerOnly` it stops
 * after the header and yields the AU codes of its columns (the manual set's label space). A file
 * that is not a workbook is one issue naming it, never exceljs's "invalid signature".
 */
export async function* manualRows(
  dataset: DatasetRoot,
  abs: string,
  imagesDir: string,
  headerOnly = false,
): AsyncGenerator<LabelRow | ImportIssue | string[]> {
  const file = dataset.rel(abs)
  const problem = await notXlsx(abs)
  if (problem) {
    yield {
      kind: 'issue',
      file,
      reason: 'unreadable file',
      detail: `${file} is not an xlsx workbook (${problem}); file skipped`,
    }
    return
  }
  try {
    yield* sheetRows(file, abs, imagesDir, headerOnly)
  } catch (e) {
    yield {
      kind: 'issue',
      file,
      reason: 'unreadable file',
      detail: `${file} could not be read as an xlsx workbook (${(e as Error).message}); the rest of it was skipped`,
    }
  }
}

const CHALLENGE_FIRST_AU = 2

/** Challenge lists (.txt): tab-separated URL, id, then AU1..AU60 by position; no header (one is skipped). */
export async function* challengeRows(
  dataset: DatasetRoot,
  abs: string,
  imagesDir: string,
): AsyncGenerator<LabelRow | ImportIssue> {
  const file = dataset.rel(abs)
  const columns = Array.from({ length: 60 }, (_, k) => ({
    index: CHALLENGE_FIRST_AU + k,
    code: catalogueAu(k + 1),
    header: `AU${k + 1}`,
  })).filter((c): c is AuColumn => c.code !== undefined)
  let first = true
  let dataRows = 0
  for await (const row of csvRows(abs, file, { delimiter: '\t', quotes: false })) {
    if (isIssue(row)) {
      yield row
      continue
    }
    const f = row.fields
    if (first) {
      first = false
      if (f.length < CHALLENGE_FIRST_AU + 1) {
        yield wrongHeader(file, ['URL', 'id', 'AU1', '...', 'AU60 (tab-separated)'], f, [])
        return
      }
      if (!/^-?\d+(\.\d+)?$/.test(f[CHALLENGE_FIRST_AU].trim())) continue // a header line
    }
    dataRows++
    if (f.length < CHALLENGE_FIRST_AU + 1 || !f[0].trim()) {
      yield {
        kind: 'issue',
        file,
        row: row.row,
        reason: 'malformed row',
        detail: `${f.length} fields; expected URL, id and AU values; row skipped`,
      }
      continue
    }
    yield urlRow({ file, row: row.row }, f[0], imagesDir, f, columns)
  }
  if (!first && !dataRows) yield noDataRows(file)
}

/** image_list_*.csv: path (relative to the list), AU1 ... AU60. */
export async function* imageListRows(dataset: DatasetRoot, abs: string): AsyncGenerator<LabelRow | ImportIssue> {
  const file = dataset.rel(abs)
  let header: { path: number; columns: AuColumn[]; width: number } | undefined
  let dataRows = 0
  for await (const row of csvRows(abs, file)) {
    if (isIssue(row)) {
      yield row
      continue
    }
    if (!header) {
      const path = columnsOf(row.fields, ['path'])?.path
      const columns = auColumns(row.fields)
      if (path === undefined || !columns.length) {
        yield wrongHeader(file, ['path', 'AU1', '...', 'AU60'], row.fields, ['path', 'AU1...'])
        return
      }
      const twice = duplicateColumn(file, row.fields, ['path']) ?? sameAuTwice(file, columns)
      if (twice) {
        yield twice
        return
      }
      header = { path, columns, width: row.fields.length }
      continue
    }
    dataRows++
    if (row.fields.length !== header.width) {
      yield {
        kind: 'issue',
        file,
        row: row.row,
        reason: 'malformed row',
        detail: `${row.fields.length} fields where the header has ${header.width}; row skipped`,
      }
      continue
    }
    const at = { file, row: row.row }
    const { labels, issues } = labelsOf(row.fields, header.columns, at)
    yield { at, written: row.fields[header.path], base: dirname(abs), labels, notes: issues }
  }
  if (header && !dataRows) yield noDataRows(file)
}

/** The issues and record of a label row, or only the issue when its image is missing or outside the root. */
export async function locateRow(dataset: DatasetRoot, row: LabelRow): Promise<(ImportRecord | ImportIssue)[]> {
  const located = await dataset.locate(row.written, row.base, row.at)
  if ('kind' in located) return [located]
  return [
    ...row.notes,
    { kind: 'record', source: row.at, image: { type: 'file', path: located.path }, labels: row.labels },
  ]
}
