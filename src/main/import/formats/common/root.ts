import { statSync, type Stats } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { DatasetError, type ImportIssue } from '../../record'
import { shortened } from './shown'

// The dataset root on the user's disk. Every path a label file names is resolved against it and
// refused when it leaves it, before anything touches the file system, so a crafted `../../` row
// can never make the workbench read (or later copy, hash, show) a file outside the dataset.

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.webp']

export const isImageName = (name: string): boolean => {
  const lower = name.toLowerCase()
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext))
}

export type Located = { path: string } | ImportIssue

export class DatasetRoot {
  private constructor(
    readonly dir: string,
    /** The label file's name when the user gave the file instead of its folder. */
    private readonly givenFile?: string,
  ) {}

  /**
   * Opens a dataset folder. Formats with one label file (`labelFile`) also accept that file: its
   * folder becomes the root. A missing root, or a file where a folder is needed, is a DatasetError.
   */
  static async open(root: string, accepts: 'folder' | 'folder or label file' = 'folder'): Promise<DatasetRoot> {
    const abs = resolve(root)
    const info = await stat(abs).catch(() => undefined)
    if (!info) throw new DatasetError(`Dataset folder ${abs} does not exist.`, abs)
    if (info.isDirectory()) return new DatasetRoot(abs)
    if (accepts === 'folder')
      throw new DatasetError(`${abs} is a file: this format reads a dataset folder; pass the folder.`, abs)
    return new DatasetRoot(dirname(abs), basename(abs))
  }

  /** The label file to read: the file option, else the file given as root, else the format's usual name. */
  labelFile(option: string | undefined, usual?: string): string | undefined {
    return option ?? this.givenFile ?? usual
  }

  /** Path relative to the root, as shown in reports. */
  rel(abs: string): string {
    return relative(this.dir, abs) || '.'
  }

  /** Absolute path of a root-relative path the workbench itself chose (a known sub-folder or file name). */
  at(...parts: string[]): string {
    return join(this.dir, ...parts)
  }

  /** True when `abs` (already resolved) lies inside the root. */
  contains(abs: string): boolean {
    return isInside(this.dir, abs)
  }

  /**
   * The issue for a link to a folder met while walking: the walk does not enter it, whether it leads
   * out of the dataset or back into it.
   */
  async folderLinkIssue(abs: string): Promise<ImportIssue> {
    const file = this.rel(abs)
    const target = await realpath(abs).catch(() => abs)
    const realRoot = await realpath(this.dir)
    if (!isInside(realRoot, target)) {
      return {
        kind: 'issue',
        file,
        reason: 'path escapes root',
        detail: `${file} is a link to ${target}, outside the dataset folder ${this.dir}; its images were not imported`,
      }
    }
    const inside = relative(realRoot, target).split(sep).join('/') || '.'
    return {
      kind: 'issue',
      file,
      reason: 'link not followed',
      detail: `${file} is a link to ${inside} inside the dataset; links to folders are not followed, so each image is imported once, from its own folder`,
    }
  }

  /**
   * Resolves a path written in a label file (relative to `base`, a folder inside the root) and checks
   * that the image is a file inside the root. Backslashes count as separators: lists made on Windows
   * are common. Returns the absolute path or the issue to report.
   */
  async locate(written: string, base: string, from: { file: string; row?: number }): Promise<Located> {
    const text = written.trim().replace(/\\/g, '/')
    if (!text) return { kind: 'issue', ...from, reason: 'malformed row', detail: 'the image path is empty' }
    const abs = resolve(base, text)
    if (!this.contains(abs)) {
      return {
        kind: 'issue',
        ...from,
        reason: 'path escapes root',
        detail: `${shortened(written.trim())} points outside the dataset folder ${this.dir}; not read`,
      }
    }
    return this.checkFile(abs, from)
  }

  /**
   * Checks that a path the reader built (inside the root by construction) is an existing file.
   * Synchronously: one stat per image, which through the thread pool costs more CPU in hand-overs
   * than the look-up itself (issue 12: crops-only imports).
   */
  async checkFile(abs: string, from: { file: string; row?: number }): Promise<Located> {
    let info: Stats | undefined
    try {
      info = statSync(abs)
    } catch {
      info = undefined // missing, a name too long, no permission: reported below as missing
    }
    if (!info?.isFile()) {
      return {
        kind: 'issue',
        ...from,
        reason: 'missing image',
        detail: `${shortened(this.rel(abs))} ${info ? 'is not a file' : 'does not exist'}`,
      }
    }
    return { path: abs }
  }

  /** A label file the format names; absent is a DatasetError telling the user what to pass. */
  async requireFile(relPath: string, what: string): Promise<string> {
    const abs = resolve(this.dir, relPath)
    if (!this.contains(abs)) throw new DatasetError(`${relPath} is outside the dataset folder ${this.dir}.`, abs)
    const info = await stat(abs).catch(() => undefined)
    if (!info?.isFile())
      throw new DatasetError(
        `No ${what} at ${abs}; pass the folder that holds it or name it with the file option.`,
        abs,
      )
    return abs
  }

  /** A sub-folder the format names, resolved and checked to stay inside the root. */
  folder(relPath: string): string {
    const abs = resolve(this.dir, relPath)
    if (!this.contains(abs)) throw new DatasetError(`${relPath} is outside the dataset folder ${this.dir}.`, abs)
    return abs
  }
}

/**
 * The folder record paths are relative to: the root itself, or the folder of a label file given as
 * the root (`affect import -f fer2013 data/fer2013.csv`).
 */
export async function datasetFolder(root: string): Promise<string> {
  const abs = resolve(root)
  return (await stat(abs).catch(() => undefined))?.isFile() ? dirname(abs) : abs
}

/** True when `abs` lies inside `dir` (both absolute and resolved the same way). */
export function isInside(dir: string, abs: string): boolean {
  const rel = relative(dir, abs)
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith('..' + sep))
}

export const isFolder = async (abs: string): Promise<boolean> =>
  (await stat(abs).catch(() => undefined))?.isDirectory() ?? false
export const isFile = async (abs: string): Promise<boolean> =>
  (await stat(abs).catch(() => undefined))?.isFile() ?? false

export interface Entry {
  name: string
  folder: boolean
  file: boolean
  /** A symbolic link; `folder` / `file` then describe what it points to (both false: it points nowhere). */
  link: boolean
}

/** The entries of a folder, sorted so that imports are reproducible; [] when it does not exist. */
export async function sortedEntries(dir: string): Promise<Entry[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const out: Entry[] = []
  for (const e of entries) {
    const link = e.isSymbolicLink()
    const info = link ? await stat(join(dir, e.name)).catch(() => undefined) : e
    out.push({ name: e.name, folder: info?.isDirectory() ?? false, file: info?.isFile() ?? false, link })
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/**
 * Image files under `dir`, recursively, as absolute paths in sorted order. Hidden entries are left
 * out: `._face.png` files that macOS copies leave beside each image are not images. Links to
 * folders are reported, never walked: one back into the dataset is a loop that would file the same
 * images under another class folder, one out of it would import what is not the dataset's.
 */
export async function* imagesUnder(root: DatasetRoot, dir: string): AsyncGenerator<string | ImportIssue> {
  for (const e of await sortedEntries(dir)) {
    if (e.name.startsWith('.')) continue
    const abs = join(dir, e.name)
    if (e.folder && e.link) yield await root.folderLinkIssue(abs)
    else if (e.folder) yield* imagesUnder(root, abs)
    else if (e.file && isImageName(e.name)) yield abs
    else if (e.link && !e.file && isImageName(e.name))
      yield {
        kind: 'issue',
        file: root.rel(abs),
        reason: 'missing image',
        detail: `${root.rel(abs)} is a link to a file that does not exist`,
      }
  }
}
