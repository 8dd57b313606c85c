import { DatasetError, type DatasetReader, type ImportIssue, type ReaderItem, type ReaderOptions } from '../record'
import { inCatalogueOrder } from './common/classes'
import { isIssue } from './common/csv-rows'
import { DatasetRoot, isFolder, sortedEntries } from './common/root'
import { challengeRows, imageListRows, locateRow, manualRows, type LabelRow } from './emotionet-files'

// EmotioNet: the manually coded set (xlsx), the challenge lists (.txt) and image_list_*.csv files.
// Without the file option every such file at the root is read, in name order.

type Kind = 'manual' | 'challenge' | 'list'

function kindOf(name: string): Kind | undefined {
  const lower = name.toLowerCase()
  if (lower.endsWith('.xlsx')) return 'manual'
  if (lower.endsWith('.txt')) return 'challenge'
  if (lower.endsWith('.csv')) return 'list'
  return undefined
}

async function labelFiles(dataset: DatasetRoot, options: ReaderOptions): Promise<{ abs: string; kind: Kind }[]> {
  const named = dataset.labelFile(options.file)
  if (named) {
    const abs = await dataset.requireFile(named, 'EmotioNet label file')
    const kind = kindOf(abs)
    if (!kind)
      throw new DatasetError(
        `${named} is not an EmotioNet label file (.xlsx manual set, .txt challenge list or image_list_*.csv).`,
        abs,
      )
    return [{ abs, kind }]
  }
  const found = (await sortedEntries(dataset.dir))
    .filter(
      (e) =>
        e.file && !e.name.startsWith('~$') && (/\.(xlsx|txt)$/i.test(e.name) || /^image_list.*\.csv$/i.test(e.name)),
    )
    .map((e) => ({ abs: dataset.at(e.name), kind: kindOf(e.name)! }))
  if (!found.length)
    throw new DatasetError(
      `No EmotioNet label file (.xlsx, .txt or image_list_*.csv) in ${dataset.dir}; name one with the file option.`,
      dataset.dir,
    )
  return found
}

/** Where the fetched images are: the imagesDir option, else an images/ folder, else the root. */
async function imagesDirOf(dataset: DatasetRoot, options: ReaderOptions): Promise<string> {
  if (options.imagesDir) return dataset.folder(options.imagesDir)
  return (await isFolder(dataset.at('images'))) ? dataset.at('images') : dataset.dir
}

function rowsOf(
  dataset: DatasetRoot,
  file: { abs: string; kind: Kind },
  imagesDir: string,
): AsyncGenerator<LabelRow | ImportIssue | string[]> {
  if (file.kind === 'manual') return manualRows(dataset, file.abs, imagesDir)
  if (file.kind === 'challenge') return challengeRows(dataset, file.abs, imagesDir)
  return imageListRows(dataset, file.abs)
}

export const emotionetReader: DatasetReader = {
  format: 'emotionet',
  describe:
    "EmotioNet: the manual set xlsx (URL, 'AU 1'...'AU 43'), challenge .txt lists or image_list_*.csv; images fetched into a folder (imagesDir)",

  /** The xlsx header's AUs, and for lists the AUs coded 0 or 1 at least once (the rest are all 999). */
  async labelSpace(root, options) {
    const dataset = await DatasetRoot.open(root, 'folder or label file')
    const codes = new Set<string>()
    for (const file of await labelFiles(dataset, options)) {
      const rows =
        file.kind === 'manual' ? manualRows(dataset, file.abs, dataset.dir, true) : rowsOf(dataset, file, dataset.dir)
      for await (const row of rows) {
        if (Array.isArray(row)) row.forEach((c) => codes.add(c))
        else if (!isIssue(row)) Object.keys(row.labels).forEach((c) => codes.add(c))
      }
    }
    return inCatalogueOrder(codes)
  },

  async *read(root, options): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root, 'folder or label file')
    const imagesDir = await imagesDirOf(dataset, options)
    for (const file of await labelFiles(dataset, options)) {
      for await (const row of rowsOf(dataset, file, imagesDir)) {
        if (Array.isArray(row)) continue
        if (isIssue(row)) yield row
        else yield* await locateRow(dataset, row)
      }
    }
  },
}
