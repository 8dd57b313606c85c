import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { browserMime, fitsThumbnail, pngSize } from './shown-as-is'

const grey = (width: number, height: number) =>
  sharp(Buffer.alloc(width * height, 128), { raw: { width, height, channels: 1 } })

describe('pictures shown as themselves', () => {
  it('tells the formats browsers show by their first bytes, and no other', async () => {
    expect(browserMime(await grey(8, 8).jpeg().toBuffer())).toBe('image/jpeg')
    expect(browserMime(await grey(8, 8).png().toBuffer())).toBe('image/png')
    expect(browserMime(await grey(8, 8).webp().toBuffer())).toBe('image/webp')
    expect(browserMime(await grey(8, 8).gif().toBuffer())).toBe('image/gif')
    expect(browserMime(await grey(8, 8).tiff().toBuffer())).toBeUndefined()
    expect(browserMime(Buffer.from('P5\n8 8\n255\n'))).toBeUndefined()
    expect(browserMime(Buffer.from([0xff, 0xd8]))).toBeUndefined()
    expect(browserMime(Buffer.alloc(0))).toBeUndefined()
  })

  it('reads a PNG size from its header, and nothing from other bytes', async () => {
    expect(pngSize(await grey(130, 7).png().toBuffer())).toEqual({ width: 130, height: 7 })
    expect(pngSize(await grey(8, 8).jpeg().toBuffer())).toBeUndefined()
    expect(pngSize(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeUndefined()
  })

  it('fits a thumbnail up to its side on both sides', () => {
    expect(fitsThumbnail({ width: 128, height: 128 }, 128)).toBe(true)
    expect(fitsThumbnail({ width: 48, height: 48 }, 128)).toBe(true)
    expect(fitsThumbnail({ width: 129, height: 10 }, 128)).toBe(false)
    expect(fitsThumbnail({ width: 10, height: 129 }, 128)).toBe(false)
    expect(fitsThumbnail({ width: 0, height: 10 }, 128)).toBe(false)
  })
})
