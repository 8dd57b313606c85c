import type { DatasetReader, ReaderItem, ReaderOptions } from '../record'
import { datasetCodes, inCatalogueOrder, oneHot, splitOf } from './common/classes'
import { columnsOf, csvRows, duplicateColumn, isIssue, noDataRows, wrongHeader } from './common/csv-rows'
import { DatasetRoot, isFile } from './common/root'
import { quoted } from './common/shown'
import type { Split } from '../../../shared/contract'

// FER2013: fer2013.csv, `emotion,pixels,Usage`, each image 2304 space-separated grey values (48x48).
// Images are handed over as pixels and named fer0000000.png by data row, the names FER+ uses for
// the same rows, so both imports of one face agree.

export const FER_SIDE = 48
const FER_PIXELS = FER_SIDE * FER_SIDE
export const FER2013_HEADER = ['emotion', 'pixels', 'Usage'] as const

/** fer0000000 for the first data row, as FER+ names them (fer0000000.png); the writer adds the extension. */
export const ferImageName = (index: number): string => `fer${String(index).padStart(7, '0')}`

/** Parses 2304 space-separated 0-255 integers without building 2304 strings; undefined when not exactly that. */
export function parsePixels(text: string): Uint8Array | undefined {
  const out = new Uint8Array(FER_PIXELS)
  let n = 0
  let v = -1
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32
    if (c >= 48 && c <= 57) {
      v = (v < 0 ? 0 : v * 10) + (c - 48)
      if (v > 255) return undefined
    } else if (c === 32 || c === 9 || c === 13 || c === 10) {
      if (v >= 0) {
        if (n === FER_PIXELS) return undefined
        out[n++] = v
        v = -1
      }
    } else return undefined
  }
  return n === FER_PIXELS ? out : undefined
}

export const ferPixels = (name: string, data: Uint8Array) =>
  ({ type: 'pixels', name, width: FER_SIDE, height: FER_SIDE, channels: 1, data }) as const

/** fer2013.csv: the file option, else fer2013.csv at the root or in the fer2013/ folder the Kaggle archive unpacks to. */
export async function fer2013File(dataset: DatasetRoot, option?: string): Promise<string> {
  const name = dataset.labelFile(option)
  if (name) return dataset.requireFile(name, 'fer2013.csv')
  if (!(await isFile(dataset.at('fer2013.csv'))) && (await isFile(dataset.at('fer2013', 'fer2013.csv'))))
    return dataset.at('fer2013', 'fer2013.csv')
  return dataset.requireFile('fer2013.csv', 'fer2013.csv')
}

const ferSpace = (): string[] => inCatalogueOrder(datasetCodes('fer2013').values())

export const fer2013Reader: DatasetReader = {
  format: 'fer2013',
  describe:
    'FER2013: fer2013.csv (emotion,pixels,Usage), 48x48 grey pixels; Training/PublicTest/PrivateTest -> train/val/test',

  async labelSpace() {
    return ferSpace()
  },

  async *read(root: string, options: ReaderOptions): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root, 'folder or label file')
    const abs = await fer2013File(dataset, options.file)
    const file = dataset.rel(abs)
    const codes = datasetCodes('fer2013')
    const space = ferSpace()
    let at: Record<string, number> | undefined
    let usage: number | undefined
    let index = -1
    for await (const row of csvRows(abs, file)) {
      if (isIssue(row)) {
        if (at) index++
        yield row
        continue
      }
      if (!at) {
        // Usage is optional: Kaggle's train.csv split of the same data has only emotion,pixels.
        at = columnsOf(row.fields, ['emotion', 'pixels'])
        const problem = at
          ? duplicateColumn(file, row.fields, FER2013_HEADER)
          : wrongHeader(file, FER2013_HEADER, row.fields, ['emotion', 'pixels'])
        if (problem) {
          yield problem
          return
        }
        usage = columnsOf(row.fields, ['Usage'])?.Usage
        continue
      }
      index++
      const here = { file, row: row.row }
      const data = parsePixels(row.fields[at.pixels] ?? '')
      if (!data) {
        yield {
          kind: 'issue',
          ...here,
          column: 'pixels',
          reason: 'malformed row',
          detail: `pixels are not ${FER_PIXELS} values 0-255; row skipped`,
        }
        continue
      }
      const emotion = (row.fields[at.emotion] ?? '').trim()
      const code = codes.get(emotion)
      if (!code)
        yield {
          kind: 'issue',
          ...here,
          column: 'emotion',
          reason: 'bad label value',
          detail: `emotion ${quoted(emotion)} is not 0-6; the image was imported with its emotion unknown`,
          kept: true,
        }
      const usageText = usage === undefined ? '' : (row.fields[usage] ?? '').trim()
      const split: Split | undefined = usageText ? splitOf(usageText) : undefined
      if (usageText && !split)
        yield {
          kind: 'issue',
          ...here,
          column: 'Usage',
          reason: 'malformed row',
          detail: `Usage ${quoted(usageText)} is not Training, PublicTest or PrivateTest; imported without a split`,
          kept: true,
        }
      yield {
        kind: 'record',
        source: here,
        image: ferPixels(ferImageName(index), data),
        labels: code ? oneHot(code, space) : {},
        ...(split ? { split } : {}),
      }
    }
    if (at && index < 0) yield noDataRows(file)
  },
}
