import { join } from 'node:path'
import type { DatasetReader, ReaderItem } from '../record'
import { classFolderRecords, classFolders, folderLabelSpace } from './common/class-folders'
import { isImageName, sortedEntries, DatasetRoot } from './common/root'

// `folder`: <root>/<Class>/*.png|jpg|jpeg|bmp|webp, the layout most hand-made datasets use; or a
// flat folder of photos nobody has labelled yet (a study's photos): every label unknown.

export const folderReader: DatasetReader = {
  format: 'folder',
  describe:
    'one sub-folder per class (Happy/, sad/, AU12/, happily_surprised/...) holding png/jpg/jpeg/bmp/webp images; or a flat folder of unlabelled photos (every label unknown)',

  async labelSpace(root) {
    const dataset = await DatasetRoot.open(root)
    return folderLabelSpace((await classFolders(dataset, dataset.dir)).folders)
  },

  async *read(root): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root)
    const { folders, issues } = await classFolders(dataset, dataset.dir)
    yield* issues
    // With no class folder, the images at the top are a flat folder of unlabelled photos.
    const flat = folders.length === 0
    for (const e of await sortedEntries(dataset.dir)) {
      if (e.file && isImageName(e.name) && flat) {
        const path = join(dataset.dir, e.name)
        yield { kind: 'record', source: { file: dataset.rel(path) }, image: { type: 'file', path }, labels: {} }
      } else if (e.file && isImageName(e.name)) {
        yield {
          kind: 'issue',
          file: e.name,
          reason: 'unlabelled',
          detail: `${e.name} is not inside a class folder (the other images are); skipped`,
        }
      }
    }
    yield* classFolderRecords(dataset, folders, folderLabelSpace(folders))
  },
}
