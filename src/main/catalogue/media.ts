import type { Database } from 'better-sqlite3'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import sharp from 'sharp'
import { WorkbenchError } from '../../shared/errors'
import { prepared } from '../db/statements'

export type MediaKind = 'full' | 'thumb'
export interface Media { mime: string; bytes: Buffer }

export const THUMBNAIL_SIZE = 128
const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.bmp': 'image/bmp', '.gif': 'image/gif' }

/** Absolute file of an image: its dataset's root joined with the stored relative path. */
export function imageFile(db: Database, id: number): { file: string; sha256: string } {
  const row = prepared(db, 'SELECT d.root, i.path, i.sha256 FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.id = ?').get(id) as { root: string; path: string; sha256: string } | undefined
  if (!row) throw new WorkbenchError('not_found', `No image with id ${id} in this workspace.`, { id })
  return { file: join(row.root, row.path), sha256: row.sha256 }
}

/** Thumbnail file path in the cache for a content hash (content-addressed: shared by duplicates). */
export const thumbnailPath = (thumbnailsDir: string, sha256: string): string => join(thumbnailsDir, sha256.slice(0, 2), `${sha256}.webp`)

/** Writes the thumbnail of an image's bytes into the cache unless it is there already. */
export async function ensureThumbnail(thumbnailsDir: string, sha256: string, source: Buffer | string): Promise<string> {
  const out = thumbnailPath(thumbnailsDir, sha256)
  if (existsSync(out)) return out
  mkdirSync(join(thumbnailsDir, sha256.slice(0, 2)), { recursive: true })
  const bytes = await sharp(source).resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer()
  const tmp = `${out}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, bytes)
    renameSync(tmp, out)
  } catch (e) {
    rmSync(tmp, { force: true }) // a disk that filled up midway leaves no partly written thumbnail
    throw e
  }
  return out
}

/** The bytes of an image or its thumbnail, found by image id only (never by a path from the UI). */
export async function readMedia(db: Database, thumbnailsDir: string, id: number, kind: MediaKind): Promise<Media> {
  const { file, sha256 } = imageFile(db, id)
  if (!existsSync(file)) throw new WorkbenchError('not_found', `The file of image ${id} is missing: ${file}. Was the dataset moved?`, { id, file })
  if (kind === 'thumb') return { mime: 'image/webp', bytes: readFileSync(await ensureThumbnail(thumbnailsDir, sha256, file)) }
  return { mime: MIME[extname(file).toLowerCase()] ?? 'application/octet-stream', bytes: readFileSync(file) }
}
