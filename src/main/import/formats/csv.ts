import { dirname } from 'node:path'
import { DatasetError, type DatasetReader, type ImportIssue, type ImportRecord, type ReaderItem, type ReaderOptions } from '../record'
import { inCatalogueOrder, oneHot, splitOf } from './common/classes'
import { csvRows, isIssue, type CsvRow } from './common/csv-rows'
import { faceBoxOf } from './common/face-box'
import { DatasetRoot, sortedEntries } from './common/root'
import { csvLayout, valueReader, type CsvLayout } from './csv-layout'

// `csv`: a label table with a path column (relative to the CSV's folder) and label columns; also
// reads back the workbench's own labels export. Unknown (empty, ?) stays apart from absent (0).

async function csvFile(dataset: DatasetRoot, options: ReaderOptions): Promise<string> {
  const named = dataset.labelFile(options.file)
  if (named) return dataset.requireFile(named, 'CSV file')
  const found = (await sortedEntries(dataset.dir)).filter((e) => e.file && e.name.toLowerCase().endsWith('.csv'))
  if (found.length === 1) return dataset.at(found[0].name)
  throw new DatasetError(found.length
    ? `${dataset.dir} holds several CSV files (${found.map((f) => f.name).join(', ')}); name one with the file option.`
    : `No CSV file in ${dataset.dir}; name it with the file option.`, dataset.dir)
}

interface Opened { dataset: DatasetRoot; abs: string; file: string; layout: CsvLayout | ImportIssue }

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
    if (first) { first = false; continue }
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
}

/** The record of one data row (or none, when skipped) and the issues met reading it, in that order. */
async function rowItems(ctx: RowContext, row: CsvRow): Promise<ReaderItem[]> {
  const { layout, valueOf } = ctx
  const at = { file: ctx.file, row: row.row }
  const items: ReaderItem[] = []
  const issue = (reason: ImportIssue['reason'], detail: string): ReaderItem[] => (items.push({ kind: 'issue', ...at, reason, detail }), items)
  const f = row.fields
  if (f.length !== layout.width) return issue('malformed row', `${f.length} fields where the header has ${layout.width}; row skipped`)

  let labels: ImportRecord['labels'] = {}
  if (layout.labelColumn) {
    const cell = f[layout.labelColumn.index].trim()
    if (valueOf(cell) !== null) {
      const code = layout.labelColumn.codeOf(cell)
      if (!code) return issue('unknown code', `${layout.labelColumn.header} "${cell}" names no class; row skipped`)
      labels = oneHot(code, ctx.oneHotSpace)
    }
  }
  const located = await ctx.dataset.locate(f[layout.path], ctx.base, at)
  if ('kind' in located) return [located]
  const record: ImportRecord = { kind: 'record', source: at, image: { type: 'file', path: located.path }, labels }

  if (layout.split !== undefined && f[layout.split].trim()) {
    const split = splitOf(f[layout.split])
    if (split) record.split = split
    else issue('malformed row', `split "${f[layout.split].trim()}" is not train, val or test; imported without a split`)
  }
  const unread: string[] = []
  for (const col of layout.labels) {
    const value = valueOf(f[col.index])
    if (value === undefined) unread.push(`${col.header}="${f[col.index].trim()}"`)
    else if (value !== null) record.labels[col.code] = { value }
  }
  if (unread.length) issue('malformed row', `${unread.join(', ')} not 1, 0 or empty; left unknown`)
  const box = layout.face && faceBoxOf(f[layout.face.x], f[layout.face.y], f[layout.face.width], f[layout.face.height])
  if (box === 'bad') issue('malformed row', 'face_x/face_y/face_width/face_height are not a box; imported without one')
  else if (box) record.faceBox = box
  for (const a of layout.attributes) {
    const text = f[a.index].trim()
    const n = Number(text)
    if (text && Number.isFinite(n)) (record.attributes ??= {})[a.name] = n
  }
  items.push(record)
  return items
}

export const csvReader: DatasetReader = {
  format: 'csv',
  describe: 'a CSV with a path column (relative to the CSV) and one column per class code (1 / 0 / empty = unknown); other layouts via options',

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
      yield { kind: 'issue', file, row: 1, reason: 'unknown code', detail: `columns ${layout.ignored.join(', ')} name no class; ignored` }
    }
    const ctx: RowContext = { dataset, layout, file, base: dirname(abs), valueOf: valueReader(options), oneHotSpace: await labelColumnSpace(o, layout) }
    let header = true
    for await (const row of csvRows(abs, file)) {
      if (isIssue(row)) { yield row; continue }
      if (header) { header = false; continue }
      yield* await rowItems(ctx, row)
    }
  },
}
