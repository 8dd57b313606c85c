import { basename } from 'node:path'
import {
  DatasetError,
  type DatasetReader,
  type ImportIssue,
  type ImportRecord,
  type ReaderItem,
  type ReaderOptions,
} from '../record'
import { datasetCodes, inCatalogueOrder, oneHot } from './common/classes'
import { columnsOf, csvRows, duplicateColumn, isIssue, noDataRows, wrongHeader } from './common/csv-rows'
import { faceBoxOf } from './common/face-box'
import { DatasetRoot, isFile, isFolder } from './common/root'
import { quoted } from './common/shown'
import type { Split } from '../../../shared/contract'

// AffectNet: training.csv / validation.csv, one row per image with its face box, expression 0-10
// and valence / arousal. Codes 8 (None) and 9 (Uncertain) are faces without a known emotion;
// 10 (Non-Face) is not a face at all; -2 marks an invalid valence or arousal.

const HEADER = [
  'subDirectory_filePath',
  'face_x',
  'face_y',
  'face_width',
  'face_height',
  'facial_landmarks',
  'expression',
  'valence',
  'arousal',
] as const
const NO_EMOTION = new Set(['8', '9'])
const NON_FACE = '10'
const FILE_LISTS = ['', 'Manually_Annotated_file_lists']
const IMAGE_FOLDERS = [
  ['Manually_Annotated_Images'],
  ['Manually_Annotated_compressed', 'Manually_Annotated_Images'],
  ['Manually_Annotated', 'Manually_Annotated_Images'],
]

async function labelFiles(dataset: DatasetRoot, options: ReaderOptions): Promise<string[]> {
  const named = dataset.labelFile(options.file)
  if (named) return [await dataset.requireFile(named, 'AffectNet list')]
  const found: string[] = []
  for (const folder of FILE_LISTS) {
    for (const name of ['training.csv', 'validation.csv']) {
      const abs = folder ? dataset.at(folder, name) : dataset.at(name)
      if (await isFile(abs)) found.push(abs)
    }
    if (found.length) return found
  }
  throw new DatasetError(
    `No training.csv or validation.csv in ${dataset.dir} (or its Manually_Annotated_file_lists folder); name the list with the file option.`,
    dataset.dir,
  )
}

async function imagesDirOf(dataset: DatasetRoot, options: ReaderOptions): Promise<string> {
  if (options.imagesDir) return dataset.folder(options.imagesDir)
  for (const parts of IMAGE_FOLDERS) if (await isFolder(dataset.at(...parts))) return dataset.at(...parts)
  return dataset.dir
}

const splitOfFile = (abs: string): Split | undefined => {
  const name = basename(abs).toLowerCase()
  return name.includes('valid') ? 'val' : name.includes('train') ? 'train' : name.includes('test') ? 'test' : undefined
}

/** Column positions from the header, or the standard order for a list without a header row. */
function columnsFrom(fields: string[]): { at: Record<string, number>; headerless: boolean } | undefined {
  const at = columnsOf(fields, HEADER)
  if (at) return { at, headerless: false }
  const standard = Object.fromEntries(HEADER.map((h, i) => [h, i]))
  const looksLikeData =
    fields.length === HEADER.length && /^\d+$/.test(fields[standard.expression].trim()) && fields[0].includes('/')
  return looksLikeData ? { at: standard, headerless: true } : undefined
}

const INVALID = '-2'

/** Valence / arousal in [-1, 1]; -2 (invalid) and blank left out, anything else left out and noted. */
function attributesOf(
  cells: { valence: string; arousal: string },
  note: (column: string, detail: string) => void,
): Record<string, number> | undefined {
  const out: Record<string, number> = {}
  for (const name of ['valence', 'arousal'] as const) {
    const text = (cells[name] ?? '').trim()
    const n = Number(text)
    if (text !== '' && n >= -1 && n <= 1) out[name] = n
    else if (text !== '' && text !== INVALID)
      note(name, `${name} ${quoted(text)} is not in [-1, 1] nor -2 (invalid); ${name} left out`)
  }
  return Object.keys(out).length ? out : undefined
}

interface ListContext {
  dataset: DatasetRoot
  imagesDir: string
  codes: Map<string, string>
  space: string[]
  file: string
  split?: Split
}

/** The items of one data row: the issues met, then its record; or only the issue that skips it. */
async function rowItems(ctx: ListContext, f: string[], at: Record<string, number>, row: number): Promise<ReaderItem[]> {
  const here = { file: ctx.file, row }
  const skip = (reason: ImportIssue['reason'], detail: string): ReaderItem[] => [
    { kind: 'issue', ...here, reason, detail },
  ]
  if (f.length < HEADER.length)
    return skip('malformed row', `${f.length} fields where ${HEADER.length} are expected; row skipped`)
  const expression = f[at.expression].trim()
  if (expression === NON_FACE) return skip('not a face', 'expression 10 (Non-Face); row skipped')
  const located = await ctx.dataset.locate(f[at.subDirectory_filePath], ctx.imagesDir, here)
  if ('kind' in located) return [located]
  const notes: ImportIssue[] = []
  const note = (column: string, detail: string, reason: ImportIssue['reason'] = 'malformed row') =>
    notes.push({ kind: 'issue', ...here, column, reason, detail, kept: true })
  const emotion = ctx.codes.get(expression)
  if (!emotion && !NO_EMOTION.has(expression))
    note(
      'expression',
      `expression ${quoted(expression)} is not 0-10; the image was imported with its emotion unknown`,
      'bad label value',
    )
  const record: ImportRecord = {
    kind: 'record',
    source: here,
    image: { type: 'file', path: located.path },
    labels: emotion ? oneHot(emotion, ctx.space) : {},
  }
  if (ctx.split) record.split = ctx.split
  const box = faceBoxOf(f[at.face_x], f[at.face_y], f[at.face_width], f[at.face_height])
  if (box === 'bad') note('face_x', 'face_x/face_y/face_width/face_height are not a box; imported without one')
  else if (box) record.faceBox = box
  const attributes = attributesOf({ valence: f[at.valence], arousal: f[at.arousal] }, note)
  if (attributes) record.attributes = attributes
  return [...notes, record]
}

export const affectnetReader: DatasetReader = {
  format: 'affectnet',
  describe:
    'AffectNet: training.csv / validation.csv (expression 0-7, 8-9 no emotion, 10 not a face; valence/arousal -2 invalid) + Manually_Annotated_Images/',

  async labelSpace() {
    return inCatalogueOrder(datasetCodes('affectnet').values())
  },

  async *read(root, options): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root, 'folder or label file')
    const imagesDir = await imagesDirOf(dataset, options)
    const codes = datasetCodes('affectnet')
    const space = inCatalogueOrder(codes.values())
    for (const abs of await labelFiles(dataset, options)) {
      const ctx: ListContext = { dataset, imagesDir, codes, space, file: dataset.rel(abs), split: splitOfFile(abs) }
      let at: Record<string, number> | undefined
      let dataRows = 0
      for await (const row of csvRows(abs, ctx.file)) {
        if (isIssue(row)) {
          yield row
          continue
        }
        if (!at) {
          const found = columnsFrom(row.fields)
          const problem = !found
            ? wrongHeader(ctx.file, HEADER, row.fields)
            : found.headerless
              ? undefined
              : duplicateColumn(ctx.file, row.fields, HEADER)
          if (problem || !found) {
            if (problem) yield problem
            break
          }
          at = found.at
          if (!found.headerless) continue
        }
        dataRows++
        yield* await rowItems(ctx, row.fields, at, row.row)
      }
      if (at && !dataRows) yield noDataRows(ctx.file)
    }
  },
}
