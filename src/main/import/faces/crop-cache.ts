import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { cropPath, ensureThumbnail, THUMBNAIL_SIZE, thumbnailPath } from '../../catalogue/media'
import { fitsThumbnail, pngSize } from '../../catalogue/shown-as-is'
import { writeCrop } from '../../faces/crops'

// The workspace's crop cache: each aligned face crop as a PNG named by the hash of its bytes, like
// the thumbnails, so that the same crop (one picture in two datasets) is stored once, and a crop
// redone after a box edit gets a new name (the old one stays for the history and for runs made from it).

export { cropPath }

export interface CropCache {
  cropsDir: string
  thumbnailsDir: string
  /** Files written that were not there before: a failed import removes them. */
  written: string[]
}

/** Stores a crop (and its thumbnail when larger than one) unless already there; returns its hash. */
export async function storeCrop(cache: CropCache, png: Uint8Array): Promise<string> {
  const sha256 = createHash('sha256').update(png).digest('hex')
  const file = cropPath(cache.cropsDir, sha256)
  if (!existsSync(file)) {
    cache.written.push(file)
    await writeCrop(png, file)
  }
  // A crop no larger than a thumbnail (the default 128 px) is shown as itself (catalogue/shown-as-is.ts).
  const size = pngSize(png)
  if (size && fitsThumbnail(size, THUMBNAIL_SIZE)) return sha256
  const thumbnail = thumbnailPath(cache.thumbnailsDir, sha256)
  if (!existsSync(thumbnail)) {
    cache.written.push(thumbnail)
    await ensureThumbnail(cache.thumbnailsDir, sha256, Buffer.from(png.buffer, png.byteOffset, png.byteLength))
  }
  return sha256
}
