import { join } from 'node:path'
import type { ImportIssue, ImportRecord, LabelEntry } from '../../record'
import { classCodeOf, inCatalogueOrder, isCompound, isEmotion, oneHot } from './classes'
import { imagesUnder, sortedEntries, type DatasetRoot } from './root'
import type { Split } from '../../../../shared/contract'

// One sub-folder per class (the generic `folder` layout, SFEW's Train/Val folders). The folder name
// is the label: emotions and compounds exclude each other, so an image in `Happy` is known not to
// be sad; an AU folder only says that AU is present and nothing about the other AUs.

export interface ClassFolder {
  abs: string
  name: string
  code: string
}

/** The class folders of `dir` and an 'unknown code' issue for each folder name that is no class. */
export async function classFolders(
  root: DatasetRoot,
  dir: string,
  codeOf = classCodeOf,
): Promise<{ folders: ClassFolder[]; issues: ImportIssue[] }> {
  const folders: ClassFolder[] = []
  const issues: ImportIssue[] = []
  for (const e of await sortedEntries(dir)) {
    if (!e.folder || e.name.startsWith('.')) continue
    const abs = join(dir, e.name)
    // A linked folder is no class folder of this dataset: its images would be filed twice, or come from elsewhere.
    if (e.link) {
      issues.push(await root.folderLinkIssue(abs))
      continue
    }
    const code = codeOf(e.name)
    if (code) folders.push({ abs, name: e.name, code })
    else
      issues.push({
        kind: 'issue',
        file: root.rel(abs),
        reason: 'unknown code',
        detail: `folder "${e.name}" names no emotion, AU or compound class; its images were skipped`,
      })
  }
  return { folders, issues }
}

export const folderLabelSpace = (folders: ClassFolder[]): string[] => inCatalogueOrder(folders.map((f) => f.code))

/** Labels of an image filed under `code`, given the dataset's label space. */
export function folderLabels(code: string, space: readonly string[]): Record<string, LabelEntry> {
  if (!isEmotion(code) && !isCompound(code)) return { [code]: { value: 1 } }
  return oneHot(
    code,
    space.filter((c) => isEmotion(c) || isCompound(c)),
  )
}

/** Records for every image under each class folder (sub-folders included, links to folders not). */
export async function* classFolderRecords(
  root: DatasetRoot,
  folders: ClassFolder[],
  space: readonly string[],
  split?: Split,
): AsyncGenerator<ImportRecord | ImportIssue> {
  for (const folder of folders) {
    const labels = folderLabels(folder.code, space)
    for await (const path of imagesUnder(root, folder.abs)) {
      if (typeof path !== 'string') {
        yield path
        continue
      }
      yield {
        kind: 'record',
        source: { file: root.rel(path) },
        image: { type: 'file', path },
        labels: { ...labels },
        ...(split ? { split } : {}),
      }
    }
  }
}
