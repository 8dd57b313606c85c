import { dirname } from 'node:path'
import {
  DatasetError,
  type DatasetReader,
  type ImportIssue,
  type ImportRecord,
  type ReaderItem,
  type ReaderOptions,
} from '../record'
import { inCatalogueOrder, oneHot, splitOf } from './common/classes'
import { csvRows, isIssue, noDataRows, type CsvRow } from './common/csv-rows'
import { faceBoxOf } from './common/face-box'
import { quoted } from './common/shown'
import { DatasetRoot, sortedEntries } from './common/root'
import { csvLayout, valueReader, type CsvLayout } from './csv-layout'
import { addIntensity } from './csv-intensity'

// `csv`: a label table with a path column (relative to the CSV's folder) and label columns; also
// reads back the workbench's own labels export. Unknown (empty, ?) stays apart from absent (0).

async function csvFile(dataset: DatasetRoot, options: ReaderOptions): Promise<string> {
  const named = dataset.labelFile(options.file)
  if (named) return dataset.requireFile(named, 'CSV file')
  const found = (await sortedEntries(dataset.dir)).filter((e) => e.file && e.name.toLowerCase().endsWith('.csv'))
  if (found.length === 1) return dataset.at(found[0].name)
  throw new DatasetError(
    found.length
      ? `${dataset.dir} holds several CSV files (${found.map((f) => f.name).join(', ')}); name one with the file option.`
      : `No CSV file in ${dataset.dir}; name it with the file option.`,
    dataset.dir,
  )
}

interface Opened {
  dataset: DatasetRoot
  abs: string
  file: string
  layout: CsvLayout | ImportIssue
}

async function open(root: string, options: ReaderOptions): Promise<Opened> {
  const dataset = await DatasetRoot.open(root, 'folder or label file')
  const abs = await csvFile(dataset, options)
  const file = dataset.rel(abs)
  for await (const row of csvRows(abs, file)) {
    if (isIssue(row)) continue
    return { dataset, abs, file, layout: csvLayout(row.fields, file, options) }
  }
  return { dataset, abs, file, layout: csvLayout([], file, options) }
}

/** The classes a single label column names: declared by labelCodes, else every value found in it. */
async function labelColumnSpace(o: Opened, layout: CsvLayout): Promise<string[]> {
  const column = layout.labelColumn
  if (!column) return []
  if (column.declared) return inCatalogueOrder(column.declared)
  const codes = new Set<string>()
  let first = true
  for await (const row of csvRows(o.abs, o.file)) {
    if (isIssue(row)) continue
    if (first) {
      first = false
      continue
    }
    const code = column.codeOf(row.fields[column.index] ?? '')
    if (code) codes.add(code)
  }
  return inCatalogueOrder(codes)
}

interface RowContext {
  dataset: DatasetRoot
  layout: CsvLayout
  file: string
  /** The CSV's folder: paths in it are relative to it. */
  base: string
  valueOf: (cell: string) => 0 | 1 | null | undefined
  oneHotSpace: string[]
  /** The split column's header, as the file spells it. */
  splitHeader: string
}

/** The record of one data row (or none, when skipped) and the issues met reading it, in that order. */
async function rowItems(ctx: RowContext, row: CsvRow): Promise<ReaderItem[]> {
  const { layout, valueOf } = ctx
  const at = { file: ctx.file, row: row.row }
  const f = row.fields
  if (f.length !== layout.width)
    return [
      {
        kind: 'issue',
        ...at,
        reason: 'malformed row',
        detail: `${f.length} fields where the header has ${layout.width}; row skipped`,
      },
    ]
  const located = await ctx.dataset.locate(f[layout.path], ctx.base, at)
  if ('kind' in located) return [located]
  const record: ImportRecord = { kind: 'record', source: at, image: { type: 'file', path: located.path }, labels: {} }
  // Issues about one value of a row that is still imported: that value is left out, nothing else.
  const notes: ImportIssue[] = []
  const note = (reason: ImportIssue['reason'], column: string, detail: string) =>
    notes.push({ kind: 'issue', ...at, column, reason, detail, kept: true })

  if (layout.labelColumn) {
    const { header, index, codeOf } = layout.labelColumn
    const cell = f[index].trim()
    if (valueOf(cell) !== null) {
      const code = codeOf(cell)
      if (code) record.labels = oneHot(code, ctx.oneHotSpace)
      else
        note(
          'bad label value',
          header,
          `${header} ${quoted(cell)} names no class; the image was imported with its ${header} unknown`,
        )
    }
  }
  if (layout.split !== undefined && f[layout.split].trim()) {
    const split = splitOf(f[layout.split])
    if (split) record.split = split
    else
      note(
        'malformed row',
        ctx.splitHeader,
        `split ${quoted(f[layout.split].trim())} is not train, val or test; imported without a split`,
      )
  }
  for (const col of layout.labels) {
    const value = valueOf(f[col.index])
    if (value === undefined)
      note(
        'bad label value',
        col.header,
        `${col.header} ${quoted(f[col.index].trim())} is not 1, 0, empty or ?; ${col.code} left unknown`,
      )
    else if (value !== null) record.labels[col.code] = { value }
  }
  for (const col of layout.intensities) {
    const why = addIntensity(record.labels[col.code], f[col.index] ?? '', col.code)
    if (why) note('bad label value', col.header, `${col.header} ${why}`)
  }
  const box = layout.face && faceBoxOf(f[layout.face.x], f[layout.face.y], f[layout.face.width], f[layout.face.height])
  if (box === 'bad')
    note('malformed row', 'face_x', 'face_x/face_y/face_width/face_height are not a box; imported without one')
  else if (box) record.faceBox = box
  for (const a of layout.attributes) {
    const text = f[a.index].trim()
    const n = Number(text)
    if (text && Number.isFinite(n)) (record.attributes ??= {})[a.name] = n
    else if (text) note('malformed row', a.header, `${a.header} ${quoted(text)} is not a number; ${a.name} left out`)
  }
  return [...notes, record]
}

export const csvReader: DatasetReader = {
  format: 'csv',
  describe:
    'a CSV with a path column (relative to the CSV) and one column per class code (1 / 0 / empty or ? = unknown); other layouts via options',

  multiLabel: (options) => options.multiLabel === true,

  async labelSpace(root, options) {
    const o = await open(root, options)
    if (isIssue(o.layout)) return []
    return inCatalogueOrder([...o.layout.labels.map((l) => l.code), ...(await labelColumnSpace(o, o.layout))])
  },

  async *read(root, options): AsyncGenerator<ReaderItem> {
    const o = await open(root, options)
    const { dataset, abs, file, layout } = o
    if (isIssue(layout)) {
      yield layout
      return
    }
    if (layout.ignored.length) {
      yield {
        kind: 'issue',
        file,
        row: 1,
        reason: 'unknown code',
        detail: `columns ${layout.ignored.map((h) => quoted(h)).join(', ')} name no class; ignored`,
        kept: true,
      }
    }
    const ctx: RowContext = {
      dataset,
      layout,
      file,
      base: dirname(abs),
      valueOf: valueReader(options),
      oneHotSpace: await labelColumnSpace(o, layout),
      splitHeader: options.splitColumn ?? 'split',
    }
    let header = true
    let dataRows = 0
    for await (const row of csvRows(abs, file)) {
      if (isIssue(row)) {
        yield row
        continue
      }
      if (header) {
        header = false
        continue
      }
      dataRows++
      yield* await rowItems(ctx, row)
    }
    if (!dataRows) yield noDataRows(file)
  },
}
