import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readMedia } from '../../src/main/catalogue/media'
import { importDataset } from '../../src/main/import/import-dataset'
import { frameOf } from '../../src/main/video/frame-media'
import { trimProxies } from '../../src/main/video/proxy-budget'
import { buildProxy } from '../../src/main/video/proxy-frames'
import { makeVideo } from '../helpers/videos'
import { testWorkbench } from '../helpers/workbench'

// Proxy frames for scrubbing: written in one ffmpeg pass when the coding view first asks, the
// thumbnail standing in (not to be cached) until then; the same picture as the full frame; a
// cache within its byte budget.

let wb: ReturnType<typeof testWorkbench>
const ws = () => wb.ctx.requireWorkspace()
const frameId = (n: number) => ws().db.prepare('SELECT id FROM images WHERE frame = ?').pluck().get(n) as number

beforeEach(() => (wb = testWorkbench()))
afterEach(() => wb.cleanup())

async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((img) => sharp(img).resize(80, 60).removeAlpha().raw().toBuffer()))
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i] - y[i])
  return sum / x.length
}

describe('proxy frames', () => {
  it('stand in with the thumbnail until written, then show the same frame as the full frame, small', async () => {
    const file = makeVideo(join(wb.dir, 'clips', 'clip.mp4'), { seconds: 2, fps: 25, width: 640, height: 480 })
    const report = await importDataset(ws(), { format: 'video', faces: 'whole', path: file, options: { fps: 5 } })
    expect(report.imported).toBe(10)

    const first = await readMedia(ws(), frameId(7), 'proxy')
    expect(first).toMatchObject({ mime: 'image/webp', temporary: true })
    // The view's first ask started the one pass: the proxy arrives without another ask.
    await expect
      .poll(async () => (await readMedia(ws(), frameId(7), 'proxy')).mime, { timeout: 20_000, interval: 100 })
      .toBe('image/jpeg')

    const proxy = await readMedia(ws(), frameId(7), 'proxy')
    expect(proxy.temporary).toBeUndefined()
    const meta = await sharp(proxy.bytes).metadata()
    expect([meta.width, meta.height]).toEqual([384, 288])
    const full = (await readMedia(ws(), frameId(7), 'full')).bytes
    const next = (await readMedia(ws(), frameId(8), 'full')).bytes
    const same = await meanDifference(proxy.bytes, full)
    expect(same).toBeLessThan(4)
    expect(await meanDifference(proxy.bytes, next)).toBeGreaterThan(same * 2)

    const files = readdirSync(ws().proxiesDir)
    expect(files.filter((f) => f.endsWith('.frames'))).toHaveLength(1)
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([])
  })

  it('stay within their byte budget, the least recently used removed first', async () => {
    const dir = ws().proxiesDir
    for (const [n, name] of ['a.mp4', 'b.mp4', 'c.mp4'].entries()) {
      const file = makeVideo(join(wb.dir, 'clips', name), { seconds: 1, fps: 10, width: 320 + 32 * n, height: 240 })
      await importDataset(ws(), { format: 'video', faces: 'whole', path: file, name })
    }
    const videos = ws().db.prepare('SELECT min(id) FROM images GROUP BY video_id ORDER BY video_id').pluck().all()
    const refs = (videos as number[]).map((id) => frameOf(ws().db, id)!.video)
    for (const v of refs) await buildProxy(dir, v)
    const names = readdirSync(dir)
      .filter((f) => f.endsWith('.index.json'))
      .map((f) => f.replace('.index.json', ''))
    expect(names).toHaveLength(3)
    // Used long ago, yesterday, now (the index's time is when it was last opened).
    const byVideo = refs.map((v) => names.find((n) => n.startsWith(v.sha256))!)
    byVideo.forEach((name, i) => {
      const at = new Date(Date.now() - (2 - i) * 86_400_000)
      utimesSync(join(dir, `${name}.index.json`), at, at)
    })
    writeFileSync(join(dir, `${byVideo[0]}.999999.partial`), 'left by a killed process')
    const bytes = (name: string) =>
      statSync(join(dir, `${name}.frames`)).size + statSync(join(dir, `${name}.index.json`)).size
    // Room for two: the oldest goes, even though `keep` names another.
    trimProxies(dir, [byVideo[2]], bytes(byVideo[1]) + bytes(byVideo[2]))
    const left = readdirSync(dir).sort()
    expect(left.filter((f) => f.startsWith(byVideo[0]))).toEqual([])
    expect(left.filter((f) => f.startsWith(byVideo[1]))).toHaveLength(2)
    expect(left.filter((f) => f.startsWith(byVideo[2]))).toHaveLength(2)
    // The one removed is written again when asked.
    expect((await readMedia(ws(), videos[0] as number, 'proxy')).temporary).toBe(true)
    await expect
      .poll(async () => (await readMedia(ws(), videos[0] as number, 'proxy')).mime, { timeout: 20_000, interval: 100 })
      .toBe('image/jpeg')
  })
})
