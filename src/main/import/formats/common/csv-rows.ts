import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream'
import { parse, type CsvError } from 'csv-parse'
import type { ImportIssue } from '../../record'
import { quoted, shortened } from './shown'
import { utf8Stream } from './text-file'

// Label files are streamed, never loaded whole: AffectNet's training.csv is 400k rows and FER2013's
// is 290 MB of pixel text. A row csv-parse cannot make sense of becomes an issue with its line, and
// reading goes on with the next row.

export interface CsvRow {
  /** Line where the row ends (the header is line 1), as a text editor shows it. */
  row: number
  fields: string[]
}

export interface CsvFormat {
  delimiter?: string
  /** false for files whose fields may hold stray quotes (tab-separated URL lists). */
  quotes?: boolean
}

/**
 * Rows of a CSV file (UTF-8 or UTF-16), header included, 'malformed row' issues for rows that do
 * not parse, and an 'empty file' issue when the file holds no row at all.
 */
export async function* csvRows(
  abs: string,
  file: string,
  format: CsvFormat = {},
): AsyncGenerator<CsvRow | ImportIssue> {
  const pending: ImportIssue[] = []
  const parser = parse({
    bom: true,
    delimiter: format.delimiter ?? ',',
    quote: format.quotes === false ? false : '"',
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err)
        pending.push({
          kind: 'issue',
          file,
          row: err.lines,
          reason: 'malformed row',
          detail: `not valid CSV: ${shortened(err.message, 300)}`,
        })
    },
  })
  // pipeline forwards a read error (permissions, a vanished disk) to the parser so the loop throws
  // instead of waiting forever, and closes the file when the caller stops early.
  pipeline(await utf8Stream(abs), parser, () => {})
  let rows = 0
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (pending.length) yield pending.shift()!
      rows++
      yield { row: info.lines, fields: record }
    }
    while (pending.length) yield pending.shift()!
    if (!rows) yield emptyFile(file)
  } finally {
    parser.destroy()
  }
}

/** Non-empty lines of a text file (UTF-8 or UTF-16) with their 1-based line numbers, streamed. */
export async function* textLines(abs: string): AsyncGenerator<{ line: number; text: string }> {
  const input = await utf8Stream(abs)
  const lines = createInterface({ input, crlfDelay: Infinity })
  let line = 0
  try {
    for await (const raw of lines) {
      line++
      const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim()
      if (text) yield { line, text }
    }
  } finally {
    lines.close()
    input.destroy()
  }
}

const norm = (s: string): string => s.trim().toLowerCase()

/**
 * Column index of each required header (case and surrounding spaces ignored), or undefined when one
 * is missing. Extra columns are allowed; `duplicateColumn` says when a column appears twice.
 */
export function columnsOf(header: string[], required: readonly string[]): Record<string, number> | undefined {
  const at = new Map(header.map((h, i) => [norm(h), i] as const))
  const out: Record<string, number> = {}
  for (const name of required) {
    const i = at.get(norm(name))
    if (i === undefined) return undefined
    out[name] = i
  }
  return out
}

/** The 'wrong header' issue when one of the columns a reader reads appears twice: which one holds the data is unclear. */
export function duplicateColumn(file: string, header: string[], names: readonly string[]): ImportIssue | undefined {
  for (const name of names) {
    const columns = header.flatMap((h, i) => (norm(h) === norm(name) ? [i + 1] : []))
    if (columns.length > 1) {
      return {
        kind: 'issue',
        file,
        row: 1,
        column: name,
        reason: 'wrong header',
        detail: `column ${quoted(name)} appears ${columns.length} times (columns ${columns.join(', ')}): which one holds the data is unclear; file skipped`,
      }
    }
  }
  return undefined
}

/** Names in `expected` the header lacks (placeholders such as `...` and `<class code>...` left out). */
const missingOf = (expected: readonly string[], got: string[]): string[] =>
  expected.filter((name) => !name.includes('...') && !got.some((h) => norm(h) === norm(name)))

/**
 * The 'wrong header' issue of a file skipped for its header: the columns it lacks among `required`,
 * what was expected and (the start of) what was found.
 */
export function wrongHeader(
  file: string,
  expected: readonly string[],
  got: string[],
  required: readonly string[] = expected,
): ImportIssue {
  if (!got.length) return emptyFile(file)
  const seen =
    got
      .slice(0, 12)
      .map((h) => shortened(h))
      .join(',') + (got.length > 12 ? ',...' : '')
  const missing = missingOf(required, got)
  const lacks = missing.length ? `lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ` : ''
  return {
    kind: 'issue',
    file,
    row: 1,
    reason: 'wrong header',
    detail: `${lacks}expected columns ${expected.join(',')}; found ${seen}; file skipped`,
  }
}

export const emptyFile = (file: string): ImportIssue => ({
  kind: 'issue',
  file,
  reason: 'empty file',
  detail: `${file} is empty; nothing to import from it`,
})

export const noDataRows = (file: string): ImportIssue => ({
  kind: 'issue',
  file,
  row: 1,
  reason: 'empty file',
  detail: `${file} has a header but no data rows; nothing to import from it`,
})

export const isIssue = (x: unknown): x is ImportIssue => (x as ImportIssue)?.kind === 'issue'
