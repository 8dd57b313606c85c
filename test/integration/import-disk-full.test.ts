import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { writePng } from '../helpers/images'
import { testWorkbench } from '../helpers/workbench'

// A full disk during an import (issue 10, item 9a): SQLite's "database or disk is full" reached the
// user as "Unexpected error" with a stack trace, and a thumbnail that could not be written was
// reported as an unreadable image while the import went on. Now the import stops as a whole, says so
// in one line, adds nothing, and removes the thumbnails and media it wrote.

const thumbnails = vi.hoisted(() => ({ writable: Infinity }))
// FER2013's pictures are written as PNG media files (no thumbnails at import): a full disk meets them there.
const mediaFiles = vi.hoisted(() => ({ writable: Infinity }))
vi.mock('../../src/main/import/image-bytes', async (original) => {
  const real = await original<typeof import('../../src/main/import/image-bytes')>()
  return {
    ...real,
    writeMedia(file: string, bytes: Buffer): void {
      if (mediaFiles.writable-- > 0) return real.writeMedia(file, bytes)
      mkdirSync(dirname(file), { recursive: true })
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      })
    },
  }
})
vi.mock('../../src/main/catalogue/media', async (original) => {
  const real = await original<typeof import('../../src/main/catalogue/media')>()
  return {
    ...real,
    async ensureThumbnail(dir: string, sha256: string, source: Buffer | string): Promise<string> {
      if (thumbnails.writable-- > 0) return real.ensureThumbnail(dir, sha256, source)
      // As on a full disk: the thumbnail's folder is made, then writing its file fails.
      mkdirSync(join(dir, sha256.slice(0, 2)), { recursive: true })
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      })
    },
  }
})

let wb: ReturnType<typeof testWorkbench>
let data: string
beforeEach(async () => {
  thumbnails.writable = Infinity
  mediaFiles.writable = Infinity
  wb = testWorkbench()
  data = join(wb.dir, 'study')
  const lines = ['path,happy']
  // Enough rows that the catalogue needs new pages for them (a few rows fit in the pages it has).
  for (let i = 1; i <= 60; i++) {
    await writePng(join(data, `f${i}.png`), i, 160) // larger than a thumbnail: each gets one drawn
    lines.push(`f${i}.png,${i % 2}`)
  }
  writeFileSync(join(data, 'labels.csv'), lines.join('\n'))
})
afterEach(() => wb.cleanup())

const ws = () => wb.ctx.requireWorkspace()

/** Every file and folder under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()
}

const DISK_FULL =
  /^The disk is full: the import of study was rolled back, nothing was added; free space on .+ and import again\.$/

describe('an import on a full disk', () => {
  it('says so in one line when the catalogue cannot grow, and leaves it and the thumbnail cache as they were', async () => {
    await writePng(join(wb.dir, 'other', 'o.png'), 77)
    writeFileSync(join(wb.dir, 'other', 'labels.csv'), 'path,happy\no.png,1\n')
    expect(
      (await wb.router.call('import.run', { format: 'csv', faces: 'whole', path: join(wb.dir, 'other', 'labels.csv') }))
        .ok,
    ).toBe(true)
    const before = { info: ws().info(), thumbnails: filesUnder(ws().thumbnailsDir) }
    // The catalogue may not grow by a single page: SQLite answers SQLITE_FULL, as on a full disk.
    ws().db.pragma(`max_page_count = ${ws().db.pragma('page_count', { simple: true })}`)
    const result = await wb.router.call('import.run', {
      format: 'csv',
      faces: 'whole',
      path: join(data, 'labels.csv'),
      name: 'study',
    })
    ws().db.pragma('max_page_count = 1073741823')
    if (result.ok) throw new Error('the import should have failed')
    expect(result.error.code).toBe('import_failed')
    expect(result.error.message).toMatch(DISK_FULL)
    expect(result.error.message).not.toMatch(/SqliteError|Unexpected|\n\s+at /)
    expect(ws().info()).toEqual(before.info)
    expect(filesUnder(ws().thumbnailsDir)).toEqual(before.thumbnails)
  })

  it('stops at a thumbnail that cannot be written instead of calling the image unreadable, and removes what it wrote', async () => {
    thumbnails.writable = 3
    const result = await wb.router.call('import.run', {
      format: 'csv',
      faces: 'whole',
      path: join(data, 'labels.csv'),
      name: 'study',
    })
    if (result.ok) throw new Error(`the import should have failed: ${JSON.stringify(result.value)}`)
    expect(result.error.message).toMatch(DISK_FULL)
    expect(ws().info()).toMatchObject({ datasets: 0, images: 0 })
    expect(filesUnder(ws().thumbnailsDir)).toEqual([])
  })

  it('removes the images it wrote into the workspace for a pixel dataset (FER2013)', async () => {
    const row = (i: number) =>
      `${i % 7},${Array.from({ length: 2304 }, (_, p) => (p * (i + 3)) % 256).join(' ')},Training`
    writeFileSync(join(wb.dir, 'fer2013.csv'), ['emotion,pixels,Usage', ...[1, 2, 3, 4, 5, 6].map(row)].join('\n'))
    mediaFiles.writable = 4
    const result = await wb.router.call('import.run', {
      format: 'fer2013',
      path: join(wb.dir, 'fer2013.csv'),
      name: 'study',
    })
    if (result.ok) throw new Error(`the import should have failed: ${JSON.stringify(result.value)}`)
    expect(result.error.message).toMatch(DISK_FULL)
    expect(ws().info()).toMatchObject({ datasets: 0, images: 0 })
    expect(filesUnder(ws().mediaDir)).toEqual([])
    expect(filesUnder(ws().thumbnailsDir)).toEqual([])
  })
})
