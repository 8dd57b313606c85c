import { dirname } from 'node:path'
import ExcelJS from 'exceljs'
import { auNumberOf } from '../../../shared/labels'
import type { ImportIssue, ImportRecord, LabelEntry } from '../record'
import { catalogueAu } from './common/classes'
import { columnsOf, csvRows, isIssue, wrongHeader } from './common/csv-rows'
import type { DatasetRoot } from './common/root'

// The three EmotioNet label files. In all of them 0 is absent, 1 present and anything else (999,
// -1, blank) not coded, so only 0 and 1 become labels. Images are the ones the user fetched: the
// manual set and the challenge lists name URLs, found locally by their file name.

/** 0 / 1 for a coded cell; undefined (unknown) for 999, -1, blank or text. */
export function auValue(raw: unknown): 0 | 1 | undefined {
  const text = String(raw ?? '').trim()
  if (text === '') return undefined
  const n = Number(text)
  return n === 0 ? 0 : n === 1 ? 1 : undefined
}

/** AU columns: header -> catalogue AU code; AU numbers the catalogue lacks (3, 51...) are left out. */
function auColumns(header: string[], from = 0): { index: number; code: string }[] {
  const out: { index: number; code: string }[] = []
  header.forEach((h, index) => {
    const n = index >= from ? auNumberOf(h.trim().replace(/^['"]|['"]$/g, '')) : undefined
    const code = n === undefined ? undefined : catalogueAu(n)
    if (code) out.push({ index, code })
  })
  return out
}

function labelsOf(cells: unknown[], columns: { index: number; code: string }[]): Record<string, LabelEntry> {
  const labels: Record<string, LabelEntry> = {}
  for (const c of columns) {
    const value = auValue(cells[c.index])
    if (value !== undefined) labels[c.code] = { value }
  }
  return labels
}

/** The local file name of an image URL (query dropped, %-escapes decoded). */
export function urlFileName(url: string): string {
  const text = url.trim()
  let path = text
  try { path = new URL(text).pathname } catch { /* not a URL: a path or a bare name */ }
  const last = path.split(/[\\/]/).filter(Boolean).pop() ?? ''
  try { return decodeURIComponent(last) } catch { return last }
}

/** One labelled row before its image is looked up: the image as written and where to resolve it. */
export interface LabelRow { at: { file: string; row: number }; written: string; base: string; labels: Record<string, LabelEntry> }

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
function urlRow(at: { file: string; row: number }, url: string, imagesDir: string, labels: Record<string, LabelEntry>): LabelRow | ImportIssue {
  const name = urlFileName(url)
  if (!name || name === '.' || name === '..') return { kind: 'issue', ...at, reason: 'malformed row', detail: `URL ${url.trim()} names no image file; row skipped` }
  return { at, written: name, base: imagesDir, labels }
}

const MANUAL_HEADER = ['URL', "'AU 1'", "'AU 2'", '...', "'AU 43'"]

/**
 * emotionet_facs_24600.xlsx, first sheet: URL, then 'AU 1' ... 'AU 43'. With `headerOnly` it stops
 * after the header and yields the AU codes of its columns (the manual set's label space).
 */
export async function* manualRows(dataset: DatasetRoot, abs: string, imagesDir: string, headerOnly = false): AsyncGenerator<LabelRow | ImportIssue | string[]> {
  const file = dataset.rel(abs)
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(abs, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore' })
  for await (const sheet of workbook) {
    let columns: { index: number; code: string }[] | undefined
    let url = -1
    for await (const row of sheet) {
      const cells = Array.from(row.values as unknown[], cellText) // sparse, 1-based: holes become ""
      if (!columns) {
        columns = auColumns(cells)
        url = cells.findIndex((c) => c.trim().toLowerCase() === 'url')
        if (url < 0 || !columns.length) { yield wrongHeader(file, MANUAL_HEADER, cells.slice(1)); return }
        if (headerOnly) { yield columns.map((c) => c.code); return }
        continue
      }
      if (!cells[url]?.trim()) continue
      yield urlRow({ file, row: row.number }, cells[url], imagesDir, labelsOf(cells, columns))
    }
    return // the manual set is the first sheet; any other sheet is notes
  }
}

const CHALLENGE_FIRST_AU = 2

/** Challenge lists (.txt): tab-separated URL, id, then AU1..AU60 by position; no header (one is skipped). */
export async function* challengeRows(dataset: DatasetRoot, abs: string, imagesDir: string): AsyncGenerator<LabelRow | ImportIssue> {
  const file = dataset.rel(abs)
  const columns = Array.from({ length: 60 }, (_, k) => ({ index: CHALLENGE_FIRST_AU + k, code: catalogueAu(k + 1) }))
    .filter((c): c is { index: number; code: string } => c.code !== undefined)
  let first = true
  for await (const row of csvRows(abs, file, { delimiter: '\t', quotes: false })) {
    if (isIssue(row)) { yield row; continue }
    const f = row.fields
    if (first) {
      first = false
      if (f.length < CHALLENGE_FIRST_AU + 1) { yield wrongHeader(file, ['URL', 'id', 'AU1', '...', 'AU60 (tab-separated)'], f); return }
      if (!/^-?\d+(\.\d+)?$/.test(f[CHALLENGE_FIRST_AU].trim())) continue // a header line
    }
    if (f.length < CHALLENGE_FIRST_AU + 1 || !f[0].trim()) {
      yield { kind: 'issue', file, row: row.row, reason: 'malformed row', detail: `${f.length} fields; expected URL, id and AU values; row skipped` }
      continue
    }
    yield urlRow({ file, row: row.row }, f[0], imagesDir, labelsOf(f, columns))
  }
}

/** image_list_*.csv: path (relative to the list), AU1 ... AU60. */
export async function* imageListRows(dataset: DatasetRoot, abs: string): AsyncGenerator<LabelRow | ImportIssue> {
  const file = dataset.rel(abs)
  let header: { path: number; columns: { index: number; code: string }[]; width: number } | undefined
  for await (const row of csvRows(abs, file)) {
    if (isIssue(row)) { yield row; continue }
    if (!header) {
      const path = columnsOf(row.fields, ['path'])?.path
      const columns = auColumns(row.fields)
      if (path === undefined || !columns.length) { yield wrongHeader(file, ['path', 'AU1', '...', 'AU60'], row.fields); return }
      header = { path, columns, width: row.fields.length }
      continue
    }
    if (row.fields.length !== header.width) {
      yield { kind: 'issue', file, row: row.row, reason: 'malformed row', detail: `${row.fields.length} fields where the header has ${header.width}; row skipped` }
      continue
    }
    yield { at: { file, row: row.row }, written: row.fields[header.path], base: dirname(abs), labels: labelsOf(row.fields, header.columns) }
  }
}

/** The record of a label row, or the issue when its image is missing or outside the root. */
export async function locateRow(dataset: DatasetRoot, row: LabelRow): Promise<ImportRecord | ImportIssue> {
  const located = await dataset.locate(row.written, row.base, row.at)
  if ('kind' in located) return located
  return { kind: 'record', source: row.at, image: { type: 'file', path: located.path }, labels: row.labels }
}
