import { DatasetError, type DatasetReader, type ReaderItem, type ReaderOptions } from '../record'
import { datasetCodes, inCatalogueOrder, oneHot } from './common/classes'
import { emptyFile, textLines } from './common/csv-rows'
import { quoted } from './common/shown'
import { DatasetRoot, isFile } from './common/root'
import type { Split } from '../../../shared/contract'

// RAF-DB: basic/EmoLabel/list_patition_label.txt (sic) with lines `train_00001.jpg 5`, images in
// basic/Image/aligned/train_00001_aligned.jpg (or Image/original/train_00001.jpg). The compound
// subset has the same layout under compound/ with codes 1-11.

const LIST = ['EmoLabel', 'list_patition_label.txt']

interface Subset {
  base: string[]
  codes: Map<string, string>
  space: string[]
}

function subsetOf(options: ReaderOptions): { name: string; codes: Map<string, string> } {
  const name = options.subset ?? 'basic'
  return { name, codes: datasetCodes(name === 'compound' ? 'rafdb_compound' : 'rafdb_basic') }
}

/** The subset's folder: <root>/basic (or compound), or the root itself when the user passed that folder. */
async function locateSubset(dataset: DatasetRoot, options: ReaderOptions): Promise<Subset> {
  const { name, codes } = subsetOf(options)
  const space = inCatalogueOrder(codes.values())
  for (const base of [[name], []]) if (await isFile(dataset.at(...base, ...LIST))) return { base, codes, space }
  throw new DatasetError(
    `No ${[name, ...LIST].join('/')} in ${dataset.dir}: pass the RAF-DB folder (or its ${name} folder).`,
    dataset.dir,
  )
}

const splitOfName = (name: string): Split | undefined =>
  /^train_/i.test(name) ? 'train' : /^test_/i.test(name) ? 'test' : undefined

export const rafdbReader: DatasetReader = {
  format: 'rafdb',
  describe:
    'RAF-DB: basic/EmoLabel/list_patition_label.txt + basic/Image/aligned/*_aligned.jpg (subset: basic or compound)',

  async labelSpace(_root, options) {
    return inCatalogueOrder(subsetOf(options).codes.values())
  },

  async *read(root, options): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root)
    const { base, codes, space } = await locateSubset(dataset, options)
    const listAbs = dataset.at(...base, ...LIST)
    const file = dataset.rel(listAbs)
    const aligned = dataset.at(...base, 'Image', 'aligned')
    const original = dataset.at(...base, 'Image', 'original')
    let lines = 0
    for await (const { line, text } of textLines(listAbs)) {
      lines++
      const at = { file, row: line }
      const parts = text.split(/\s+/)
      if (parts.length !== 2) {
        yield {
          kind: 'issue',
          ...at,
          reason: 'malformed row',
          detail: `expected "name code", found ${quoted(text)}; row skipped`,
        }
        continue
      }
      const [name, code] = parts
      const stem = name.replace(/\.[^.]+$/, '')
      // Aligned faces are what papers train on; the original photo is the fallback.
      let located = await dataset.locate(`${stem}_aligned${name.slice(stem.length)}`, aligned, at)
      if ('kind' in located && located.reason === 'missing image') {
        const fallback = await dataset.locate(name, original, at)
        if (!('kind' in fallback) || fallback.reason !== 'missing image') located = fallback
      }
      if ('kind' in located) {
        yield located
        continue
      }
      const cls = codes.get(code)
      if (!cls)
        yield {
          kind: 'issue',
          ...at,
          column: 'label',
          reason: 'bad label value',
          detail: `label ${quoted(code)} is not one of ${[...codes.keys()].join(' ')}; the image was imported with its emotion unknown`,
          kept: true,
        }
      const split = splitOfName(name)
      yield {
        kind: 'record',
        source: at,
        image: { type: 'file', path: located.path },
        labels: cls ? oneHot(cls, space) : {},
        ...(split ? { split } : {}),
      }
    }
    if (!lines) yield emptyFile(file)
  },
}
