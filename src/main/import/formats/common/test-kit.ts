import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { DatasetReader, ImportIssue, ImportRecord, ReaderOptions } from '../../record'

// Helpers for the reader tests only: write a dataset in its real layout into a temporary folder and
// collect what a reader yields.

/** A valid 1x1 grey PNG: readers never decode images, but fixtures should still be real files. */
export const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010800000000' +
    '3a7e9b55' +
    '0000000a49444154789c636000000002000148afa471' +
    '0000000049454e44ae426082',
  'hex',
)

export interface Fixture {
  root: string
  remove(): Promise<void>
}

/** Writes `files` (path relative to the root -> content; null = the tiny PNG) into a fresh temp folder. */
export async function writeDataset(files: Record<string, string | Buffer | null>): Promise<Fixture> {
  const base = await mkdtemp(join(tmpdir(), 'affect-import-'))
  const root = join(base, 'dataset')
  await mkdir(root)
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel)
    await mkdir(dirname(abs), { recursive: true })
    await writeFile(abs, content ?? TINY_PNG)
  }
  return { root, remove: () => rm(base, { recursive: true, force: true }) }
}

export interface Collected {
  records: ImportRecord[]
  issues: ImportIssue[]
  /** Records by the image file name (or pixels name), for assertions that read like the dataset. */
  byName: Map<string, ImportRecord>
}

/**
 * Reads the whole dataset. Also holds every reader to its promise that a record only labels classes
 * of the dataset's label space (the writer and the loss rely on it): it throws when one does not.
 */
export async function collect(reader: DatasetReader, root: string, options: ReaderOptions = {}): Promise<Collected> {
  const records: ImportRecord[] = []
  const issues: ImportIssue[] = []
  for await (const item of reader.read(root, options)) {
    if (item.kind === 'record') records.push(item)
    else issues.push(item)
  }
  const space = new Set(await reader.labelSpace(root, options))
  for (const r of records) {
    const outside = Object.keys(r.labels).filter((code) => !space.has(code))
    if (outside.length)
      throw new Error(
        `${reader.format}: ${r.source.file}:${r.source.row ?? ''} labels ${outside.join(', ')} outside the label space ${[...space].join(' ')}`,
      )
  }
  const byName = new Map(records.map((r) => [imageName(r.image), r]))
  return { records, issues, byName }
}

/** A record's image by name: a file's base name, a frame as `video.avi#12`. */
const imageName = (image: ImportRecord['image']): string =>
  image.type === 'file'
    ? image.path.split(/[\\/]/).pop()!
    : image.type === 'frame'
      ? `${image.video.file.split(/[\\/]/).pop()!}#${image.frame}`
      : image.name

/** Label values only (`{ happy: 1, sad: 0 }`), the way the catalogue stores them. */
export const values = (r: ImportRecord | undefined): Record<string, 0 | 1> =>
  Object.fromEntries(Object.entries(r?.labels ?? {}).map(([k, v]) => [k, v.value]))

export const reasons = (issues: ImportIssue[]): string[] => issues.map((i) => i.reason)
