import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream'
import { parse, type CsvError } from 'csv-parse'
import type { ImportIssue } from '../../record'

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

/** Rows of a CSV file, header included, or 'malformed row' issues for rows that do not parse. */
export async function* csvRows(abs: string, file: string, format: CsvFormat = {}): AsyncGenerator<CsvRow | ImportIssue> {
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
      if (err) pending.push({ kind: 'issue', file, row: err.lines, reason: 'malformed row', detail: `not valid CSV: ${err.message}` })
    },
  })
  // pipeline forwards a read error (permissions, a vanished disk) to the parser so the loop throws
  // instead of waiting forever, and closes the file when the caller stops early.
  pipeline(createReadStream(abs), parser, () => {})
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (pending.length) yield pending.shift()!
      yield { row: info.lines, fields: record }
    }
    while (pending.length) yield pending.shift()!
  } finally {
    parser.destroy()
  }
}

/** Non-empty lines of a text file with their 1-based line numbers, streamed. */
export async function* textLines(abs: string): AsyncGenerator<{ line: number; text: string }> {
  const input = createReadStream(abs)
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
 * is missing. Extra columns are allowed.
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

export function wrongHeader(file: string, expected: readonly string[], got: string[]): ImportIssue {
  const seen = got.length ? got.slice(0, 12).join(',') + (got.length > 12 ? ',...' : '') : '(empty file)'
  return { kind: 'issue', file, row: 1, reason: 'wrong header', detail: `expected columns ${expected.join(',')}; found ${seen}; file skipped` }
}

export const isIssue = (x: unknown): x is ImportIssue => (x as ImportIssue)?.kind === 'issue'
