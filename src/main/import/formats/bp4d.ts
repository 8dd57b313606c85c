import { basename, join } from 'node:path'
import { auNumberOf } from '../../../shared/labels'
import { DatasetError, type DatasetReader, type ImportIssue, type LabelEntry, type ReaderItem } from '../record'
import { catalogueAu, inCatalogueOrder } from './common/classes'
import { csvRows, isIssue, noDataRows } from './common/csv-rows'
import { framesByNumber } from './common/frames'
import { DatasetRoot, isFolder, sortedEntries } from './common/root'
import { quoted, shortened } from './common/shown'
import { intensityFiles, readIntensities, withIntensities, type SequenceIntensities } from './bp4d-intensity'

// BP4D: AUCoding/AU_OCC/F001_T1.csv, a header then one row per frame: the frame number, then 0/1
// per AU column (the column header is the AU number); 9 means the AU was not coded there, which
// is unknown, not absent. Intensities of some AUs (AUCoding/AU_INT/AU06/F001_T1_AU06.csv) are merged
// in (bp4d-intensity.ts). Images: Sequences/F001/T1/<frame>.jpg, frame names padded or not.

const NOT_CODED = '9'
const OCC_FILE = /^([^_]+)_(.+)\.csv$/i

/** A coded frame, with the issues about its cells (reported only when its image is there to import). */
interface FrameRow {
  row: number
  frame: number
  labels: Record<string, LabelEntry>
  notes: ImportIssue[]
}

/** AU number of a column header: `12`, `AU12`, `AU 12`. */
const auOfHeader = (h: string): number | undefined => (/^\s*\d+\s*$/.test(h) ? Number(h) : auNumberOf(h))

interface AuColumn {
  index: number
  code: string
  header: string
}

/** The AU columns of a header, or the issue that skips the file (no AU column, or one AU twice). */
function auColumns(file: string, header: string[]): AuColumn[] | ImportIssue {
  const columns = header.flatMap((h, index) => {
    const n = index > 0 ? auOfHeader(h) : undefined
    const code = n === undefined ? undefined : catalogueAu(n)
    return code ? [{ index, code, header: h.trim() }] : []
  })
  if (!columns.length) {
    const found = header
      .slice(0, 12)
      .map((h) => shortened(h))
      .join(',')
    return {
      kind: 'issue',
      file,
      row: 1,
      reason: 'wrong header',
      detail: `no column after the first names an AU (1, 2, 4... or AU1, AU2...); found ${found}; file skipped`,
    }
  }
  const first = new Map<string, AuColumn>()
  for (const c of columns) {
    const earlier = first.get(c.code)
    if (earlier)
      return {
        kind: 'issue',
        file,
        row: 1,
        column: c.header,
        reason: 'wrong header',
        detail: `columns ${earlier.index + 1} (${quoted(earlier.header)}) and ${c.index + 1} (${quoted(c.header)}) both name ${c.code}: which one holds the labels is unclear; file skipped`,
      }
    first.set(c.code, c)
  }
  return columns
}

/** Labels of one frame row, and a 'bad label value' issue per cell that is not 0, 1 or 9. */
function frameLabels(
  f: string[],
  columns: AuColumn[],
  at: { file: string; row: number },
): { labels: Record<string, LabelEntry>; notes: ImportIssue[] } {
  const labels: Record<string, LabelEntry> = {}
  const notes: ImportIssue[] = []
  for (const { index, code, header } of columns) {
    const cell = (f[index] ?? '').trim()
    if (cell === '1' || cell === '0') labels[code] = { value: cell === '1' ? 1 : 0 }
    else if (cell !== NOT_CODED && cell !== '') {
      notes.push({
        kind: 'issue',
        ...at,
        column: header,
        reason: 'bad label value',
        detail: `${code} ${quoted(cell)} is not 0, 1 or 9; left unknown`,
        kept: true,
      })
    }
  }
  return { labels, notes }
}

async function* occurrenceRows(abs: string, file: string): AsyncGenerator<FrameRow | ImportIssue> {
  let columns: AuColumn[] | undefined
  let dataRows = 0
  for await (const row of csvRows(abs, file)) {
    if (isIssue(row)) {
      yield row
      continue
    }
    const f = row.fields
    if (!columns) {
      const found = auColumns(file, f)
      if (isIssue(found)) {
        yield found
        return
      }
      columns = found
      continue
    }
    dataRows++
    const frame = Number(f[0])
    if (f[0].trim() === '' || !Number.isInteger(frame) || frame < 0) {
      yield {
        kind: 'issue',
        file,
        row: row.row,
        reason: 'malformed row',
        detail: `frame ${quoted(f[0])} is not a frame number; row skipped`,
      }
      continue
    }
    const { labels, notes } = frameLabels(f, columns, { file, row: row.row })
    yield { row: row.row, frame, labels, notes }
  }
  if (columns && !dataRows) yield noDataRows(file)
}

async function occurrenceFiles(dataset: DatasetRoot): Promise<string[]> {
  const dir = dataset.at('AUCoding', 'AU_OCC')
  if (!(await isFolder(dir)))
    throw new DatasetError(`No AUCoding/AU_OCC folder in ${dataset.dir}: pass the BP4D folder.`, dataset.dir)
  return (await sortedEntries(dir))
    .filter((e) => e.file && e.name.toLowerCase().endsWith('.csv'))
    .map((e) => join(dir, e.name))
}

/** One issue per intensity file naming the frames it codes that the occurrence file has no row for. */
function* framesOnlyIntensityCoded(
  sequence: SequenceIntensities,
  occurring: Set<number>,
  occurrenceFile: string,
): Generator<ImportIssue> {
  for (const [code, file] of sequence.files) {
    const extra = [...sequence.frames].filter(([frame, coded]) => coded.has(code) && !occurring.has(frame))
    if (extra.length)
      yield {
        kind: 'issue',
        file,
        reason: 'missing image',
        detail: `${extra.length} frame(s) (first ${extra[0][0]}) have no row in ${occurrenceFile}; their ${code} intensity skipped`,
      }
  }
}

export const bp4dReader: DatasetReader = {
  format: 'bp4d',
  describe:
    'BP4D: AUCoding/AU_OCC/F001_T1.csv (frame, then 0/1 per AU; 9 = not coded), AUCoding/AU_INT/AU06/F001_T1_AU06.csv (frame,intensity 0-5; 9 = not coded) + Sequences/F001/T1/<frame>.jpg (imagesDir)',

  /** The AUs coded 0 or 1 somewhere (columns that are 9 throughout are not annotated). */
  async labelSpace(root) {
    const dataset = await DatasetRoot.open(root)
    const codes = new Set<string>()
    for (const abs of await occurrenceFiles(dataset)) {
      if (!OCC_FILE.test(basename(abs))) continue
      for await (const row of occurrenceRows(abs, dataset.rel(abs)))
        if (!isIssue(row)) Object.keys(row.labels).forEach((c) => codes.add(c))
    }
    for (const files of (await intensityFiles(dataset)).values()) for (const code of files.keys()) codes.add(code)
    return inCatalogueOrder(codes)
  },

  async *read(root, options): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root)
    const sequences = dataset.folder(options.imagesDir ?? 'Sequences')
    const intensities = await intensityFiles(dataset)
    for (const abs of await occurrenceFiles(dataset)) {
      const file = dataset.rel(abs)
      const name = OCC_FILE.exec(basename(abs))
      if (!name) {
        yield {
          kind: 'issue',
          file,
          reason: 'malformed row',
          detail: 'the file name is not <subject>_<task>.csv (F001_T1.csv); file skipped',
        }
        continue
      }
      const folder = join(sequences, name[1], name[2])
      const images = await framesByNumber(folder)
      const { sequence, issues } = await readIntensities(dataset, intensities.get(`${name[1]}_${name[2]}`))
      yield* issues
      const occurring = new Set<number>()
      let missingFolder = 0
      for await (const row of occurrenceRows(abs, file)) {
        if (!isIssue(row)) occurring.add(row.frame)
        if (isIssue(row)) {
          yield row
          continue
        }
        if (!images) {
          missingFolder++
          continue
        }
        const path = images.get(row.frame)
        if (!path) {
          yield {
            kind: 'issue',
            file,
            row: row.row,
            reason: 'missing image',
            detail: `frame ${row.frame}: no image numbered ${row.frame} in ${dataset.rel(folder)}`,
          }
          continue
        }
        yield* row.notes
        const merged = withIntensities(row.labels, sequence.frames.get(row.frame), sequence, row.frame)
        yield* merged.notes
        yield { kind: 'record', source: { file, row: row.row }, image: { type: 'file', path }, labels: merged.labels }
      }
      yield* framesOnlyIntensityCoded(sequence, occurring, file)
      if (missingFolder)
        yield {
          kind: 'issue',
          file,
          reason: 'missing image',
          detail: `no frame images in ${dataset.rel(folder)} (or set imagesDir); ${missingFolder} coded frames skipped`,
        }
    }
  },
}
