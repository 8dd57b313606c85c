import type { DatasetReader, ReaderItem } from '../record'
import { classFolderRecords, classFolders } from './common/class-folders'
import { classCodeOf, datasetCodes, inCatalogueOrder } from './common/classes'
import { DatasetError } from '../record'
import { imagesUnder, isFolder, DatasetRoot } from './common/root'
import type { Split } from '../../../shared/contract'

// SFEW 2.0: Train/Train_Aligned_Faces/<Class>/*.png, Val/Val_Aligned_Faces/<Class>/*.png and the
// unlabelled Test/Test_Aligned_Faces/*.png. Some copies drop the outer Train/ Val/ Test/ level.

const PARTS: { split: Split; folder: string }[] = [
  { split: 'train', folder: 'Train' },
  { split: 'val', folder: 'Val' },
  { split: 'test', folder: 'Test' },
]

async function partFolder(root: DatasetRoot, part: string): Promise<string | undefined> {
  for (const candidate of [root.at(part, `${part}_Aligned_Faces`), root.at(`${part}_Aligned_Faces`)]) {
    if (await isFolder(candidate)) return candidate
  }
  return undefined
}

const sfewSpace = (): string[] => inCatalogueOrder(datasetCodes('sfew2').values())

export const sfewReader: DatasetReader = {
  format: 'sfew',
  describe:
    'SFEW 2.0: Train/Train_Aligned_Faces/<Class>/*.png, Val/Val_Aligned_Faces/<Class>/*.png, Test/Test_Aligned_Faces/*.png (unlabelled)',

  async labelSpace() {
    return sfewSpace()
  },

  async *read(root): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root)
    const folders = await Promise.all(PARTS.map((p) => partFolder(dataset, p.folder)))
    if (folders.every((f) => !f)) {
      throw new DatasetError(
        `No SFEW folders (Train/Train_Aligned_Faces, Val/Val_Aligned_Faces, Test/Test_Aligned_Faces) in ${dataset.dir}.`,
        dataset.dir,
      )
    }
    const codes = datasetCodes('sfew2')
    const codeOf = (name: string): string | undefined => codes.get(name) ?? classCodeOf(name)
    const space = sfewSpace()
    for (const [i, { split }] of PARTS.entries()) {
      const dir = folders[i]
      if (!dir) continue
      if (split === 'test') {
        for await (const path of imagesUnder(dataset, dir)) {
          if (typeof path !== 'string') {
            yield path
            continue
          }
          yield {
            kind: 'record',
            source: { file: dataset.rel(path) },
            image: { type: 'file', path },
            split,
            labels: {},
          }
        }
        continue
      }
      const { folders: classes, issues } = await classFolders(dataset, dir, codeOf)
      yield* issues
      yield* classFolderRecords(dataset, classes, space, split)
    }
  },
}
