import { dirname, join } from 'node:path'
import type { DatasetReader, ImportIssue, ImportRecord, ReaderItem, ReaderOptions } from '../record'
import { classCodeOf, inCatalogueOrder, splitOf } from './common/classes'
import { columnsOf, csvRows, duplicateColumn, isIssue, noDataRows, wrongHeader, type CsvRow } from './common/csv-rows'
import { DatasetRoot, isFile } from './common/root'
import { quoted } from './common/shown'
import { fer2013File, ferImageName, ferPixels, parsePixels } from './fer2013'
import { FERPLUS_VOTE_COLUMNS, votesToLabels, type Majority } from './ferplus-votes'
import type { Split } from '../../../shared/contract'

// FER+: fer2013new.csv holds 10 votes per image, row for row aligned with fer2013.csv, which holds
// the pixels. Both are streamed side by side; a row that one file lacks ends the alignment loudly.

const HEADER = ['Usage', 'Image name', ...FERPLUS_VOTE_COLUMNS] as const
const emotionCodes = (): string[] => FERPLUS_VOTE_COLUMNS.slice(0, 8).map((c) => classCodeOf(c)!)

/** fer2013.csv: the fer2013File option, else beside fer2013new.csv, else where the fer2013 format looks. */
async function pixelsFile(dataset: DatasetRoot, votesAbs: string, options: ReaderOptions): Promise<string> {
  if (options.fer2013File) return dataset.requireFile(options.fer2013File, 'fer2013.csv')
  const beside = join(dirname(votesAbs), 'fer2013.csv')
  if (await isFile(beside)) return beside
  return fer2013File(dataset, 'fer2013.csv')
}

/** Data rows of a CSV after a header check; an unparsable row still takes its place (alignment). */
async function* dataRows(
  abs: string,
  file: string,
  required: readonly string[],
  expected: readonly string[],
): AsyncGenerator<{ at: Record<string, number> } | CsvRow | ImportIssue> {
  let header = true
  for await (const row of csvRows(abs, file)) {
    if (!header || isIssue(row)) {
      yield row
      continue
    }
    header = false
    const at = columnsOf(row.fields, required)
    const problem = at ? duplicateColumn(file, row.fields, required) : wrongHeader(file, expected, row.fields, required)
    if (problem || !at) {
      if (problem) yield problem
      return
    }
    yield { at }
  }
}

interface Aligned {
  file: string
  pixelsName: string
  codes: string[]
  majority: Majority
  votesAt: Record<string, number>
  pixelsAt: Record<string, number>
}

/** The items of one vote row and its pixels row: the issues met, then its record; or the issue that skips it. */
function rowItems(a: Aligned, v: CsvRow, p: CsvRow | ImportIssue, index: number): ReaderItem[] {
  const at = { file: a.file, row: v.row }
  const skip = (reason: ImportIssue['reason'], detail: string): ReaderItem[] => [
    { kind: 'issue', ...at, reason, detail },
  ]
  if (isIssue(p))
    return skip('malformed row', `its pixels row in ${a.pixelsName} (line ${p.row}) is unreadable; row skipped`)
  const data = parsePixels(p.fields[a.pixelsAt.pixels] ?? '')
  if (!data)
    return skip('malformed row', `pixels in ${a.pixelsName} line ${p.row} are not 2304 values 0-255; row skipped`)
  const texts = FERPLUS_VOTE_COLUMNS.map((c) => (v.fields[a.votesAt[c]] ?? '').trim())
  const bad = texts.findIndex((t) => !/^\d+$/.test(t))
  const items: ReaderItem[] = []
  let labels: ImportRecord['labels'] = {}
  if (bad >= 0) {
    // Votes that are not counts say nothing about the face: it is imported with its emotion unknown.
    const detail = `${FERPLUS_VOTE_COLUMNS[bad]} ${quoted(texts[bad])} is not a vote count; the image was imported with its emotion unknown`
    items.push({
      kind: 'issue',
      ...at,
      column: FERPLUS_VOTE_COLUMNS[bad],
      reason: 'bad label value',
      detail,
      kept: true,
    })
  } else {
    const outcome = votesToLabels(texts.map(Number), a.codes, a.majority)
    if (outcome.kind === 'not a face') return skip('not a face', 'most annotators voted NF (not a face); row skipped')
    if (outcome.kind === 'emotion') labels = outcome.labels
  }
  const split: Split | undefined = splitOf(v.fields[a.votesAt.Usage] ?? '')
  const name = (v.fields[a.votesAt['Image name']] ?? '').trim().replace(/\.png$/i, '') || ferImageName(index)
  items.push({ kind: 'record', source: at, image: ferPixels(name, data), labels, ...(split ? { split } : {}) })
  return items
}

const isHeader = (x: unknown): x is { at: Record<string, number> } => typeof x === 'object' && x !== null && 'at' in x

export const ferplusReader: DatasetReader = {
  format: 'ferplus',
  describe: 'FER+: fer2013new.csv (10 votes per image) aligned with fer2013.csv; majority vote, soft labels kept',

  async labelSpace() {
    return inCatalogueOrder(emotionCodes())
  },

  // Crowd votes spread over several emotions: the dataset is multi-label by nature, even though
  // the import marks only the majority emotion present (the shares are kept as soft labels).
  multiLabel: () => true,

  async *read(root, options): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root, 'folder or label file')
    const votesAbs = await dataset.requireFile(dataset.labelFile(options.file, 'fer2013new.csv')!, 'fer2013new.csv')
    const pixelsAbs = await pixelsFile(dataset, votesAbs, options)
    const file = dataset.rel(votesAbs)
    const pixelsName = dataset.rel(pixelsAbs)
    const codes = emotionCodes()
    const votes = dataRows(votesAbs, file, HEADER, HEADER)
    const pixels = dataRows(pixelsAbs, pixelsName, ['pixels'], ['emotion', 'pixels', 'Usage'])
    try {
      const vh = (await votes.next()).value
      const ph = (await pixels.next()).value
      if (!isHeader(vh)) {
        if (vh) yield vh
        return
      }
      if (!isHeader(ph)) {
        if (ph) yield ph
        return
      }
      for (let index = 0; ; index++) {
        const v = (await votes.next()).value
        const p = (await pixels.next()).value
        if (!v || isHeader(v)) {
          if (index === 0) yield noDataRows(file)
          else if (p && !isHeader(p))
            yield {
              kind: 'issue',
              file: pixelsName,
              row: p.row,
              reason: 'malformed row',
              detail: `${pixelsName} has more rows than ${file}: the two files may not be aligned; its extra rows were not read`,
            }
          return
        }
        if (isIssue(v)) {
          yield v
          continue
        }
        if (!p || isHeader(p)) {
          const why =
            index === 0
              ? `${pixelsName} has no data rows: the two files are not aligned; ${file} was skipped`
              : `${pixelsName} ends before this row: the two files are not aligned; the rest of ${file} was skipped`
          yield { kind: 'issue', file, row: v.row, reason: 'malformed row', detail: why }
          return
        }
        yield* rowItems(
          { file, pixelsName, codes, majority: options.majority ?? 'most-votes', votesAt: vh.at, pixelsAt: ph.at },
          v,
          p,
          index,
        )
      }
    } finally {
      await votes.return(undefined)
      await pixels.return(undefined)
    }
  },
}
