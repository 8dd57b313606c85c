import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ensureThumbnail } from './media'

// A thumbnail written on a disk that fills up midway (issue 10, item 9a) left `<sha>.webp.<pid>.tmp`
// behind in the cache. The temporary file is removed and the error goes on to the caller.

const disk = vi.hoisted(() => ({ full: false }))
// Thumbnails are small files written synchronously (files/small-file.ts): the disk fills up in writeFileSync.
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>()
  return {
    ...real,
    writeFileSync(...args: Parameters<typeof real.writeFileSync>) {
      if (!disk.full) return real.writeFileSync(...args)
      real.writeFileSync(args[0], 'RIFF') // the first bytes made it to disk
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' })
    },
  }
})

let dir: string | undefined
afterEach(() => {
  disk.full = false
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('thumbnail cache on a full disk', () => {
  it('leaves no partly written file behind', async () => {
    dir = mkdtempSync(join(tmpdir(), 'affect-thumbs-'))
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
    const sha = 'ab'.repeat(32)
    disk.full = true
    await expect(ensureThumbnail(dir, sha, png)).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(readdirSync(join(dir, 'ab'))).toEqual([])
    disk.full = false
    await ensureThumbnail(dir, sha, png)
    expect(readdirSync(join(dir, 'ab'))).toEqual([`${sha}.webp`])
  })
})
