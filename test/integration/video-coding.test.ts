import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName } from '../../src/shared/contract'
import { exportLabels } from '../../src/main/export/labels-csv'
import { exportAuEvents, exportVideoFrames } from '../../src/main/export/video-csv'
import { importDataset } from '../../src/main/import/import-dataset'
import { callOk } from '../helpers/call'
import { makeVideo } from '../helpers/videos'
import { testWorkbench } from '../helpers/workbench'

let wb: ReturnType<typeof testWorkbench>
let videoId: number
const ws = () => wb.ctx.requireWorkspace()
const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callOk(wb, method, args)

/** AU12 on each frame as 1 / 0 / '?' (unknown), frames 1-50. */
const au12 = (): string =>
  (
    ws()
      .db.prepare(
        `SELECT i.frame, l.value FROM images i LEFT JOIN labels l ON l.image_id = i.id
         AND l.class_id = (SELECT id FROM classes WHERE code = 'AU12') WHERE i.video_id = ? ORDER BY i.frame`,
      )
      .all(videoId) as { value: number | null }[]
  )
    .map((r) => (r.value === null ? '?' : String(r.value)))
    .join('')

beforeEach(async () => {
  wb = testWorkbench()
  const file = makeVideo(join(wb.dir, 'clips', 'smile.avi'), { seconds: 2, fps: 25 })
  await importDataset(ws(), { format: 'video', faces: 'whole', path: file })
  videoId = (await call('videos.list', {}))[0].id
})
afterEach(() => wb.cleanup())

describe('video coding: AU events and the frame labels that follow from them', () => {
  it('marks, edits and deletes an event; frames are present in it, absent in a coded segment, unknown elsewhere', async () => {
    const video = await call('videos.get', { id: videoId })
    expect(video).toMatchObject({ path: 'smile.avi', frames: 50, fps: 25 })
    expect(video.frameIds).toHaveLength(50)
    expect(video.aus).toContain('AU12')

    const event = await call('videos.saveEvent', {
      videoId,
      code: 'AU12',
      onset: 10,
      apex: 15,
      offset: 20,
      intensity: 3,
      coder: 'Ana',
    })
    expect(au12()).toBe('?'.repeat(9) + '1'.repeat(11) + '?'.repeat(30))
    await call('videos.codeSegment', { videoId, code: 'AU12', first: 1, last: 40, coder: 'Ana' })
    expect(au12()).toBe('0'.repeat(9) + '1'.repeat(11) + '0'.repeat(20) + '?'.repeat(10))
    await call('videos.saveEvent', { ...event, offset: 18, intensity: 5, coder: 'Ana' })
    expect(au12()).toBe('0'.repeat(9) + '1'.repeat(9) + '0'.repeat(22) + '?'.repeat(10))
    const apex = ws()
      .db.prepare(
        'SELECT intensity FROM labels WHERE image_id = ? AND class_id = (SELECT id FROM classes WHERE code = ?)',
      )
      .pluck()
      .get(video.frameIds[14], 'AU12')
    expect(apex).toBe(5)
    // Each change is an ordinary label edit by the coder: history and undo cover it.
    const edits = ws().db.prepare("SELECT DISTINCT edit_id FROM label_events WHERE who = 'Ana'").all()
    expect(edits).toHaveLength(3)
    await call('labels.undo', { who: 'Ana' })
    expect(au12()).toBe('0'.repeat(9) + '1'.repeat(11) + '0'.repeat(20) + '?'.repeat(10))

    expect(await call('videos.deleteEvent', { id: event.id, coder: 'Ana' })).toEqual({ deleted: true })
    expect(au12()).toBe('0'.repeat(40) + '?'.repeat(10))
    expect((await call('videos.coding', { videoId })).events).toEqual([])
  })

  it('refuses an event whose apex comes before its onset, or that runs past the last frame, naming the field', async () => {
    const bad = await wb.router.call('videos.saveEvent', {
      videoId,
      code: 'AU12',
      onset: 20,
      apex: 10,
      offset: 30,
      intensity: 2,
      coder: 'Ana',
    })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.message).toMatch(/onset, apex and offset must come in that order/)
    const past = await wb.router.call('videos.saveEvent', {
      videoId,
      code: 'AU12',
      onset: 40,
      apex: 45,
      offset: 60,
      intensity: null,
      coder: 'Ana',
    })
    expect(past.ok).toBe(false)
    if (!past.ok) expect(past.error).toMatchObject({ code: 'invalid_arguments', details: { field: 'offset' } })
    expect(au12()).toBe('?'.repeat(50))
  })

  it('exports the events in long form and the frames in OpenFace layout, which joins an OpenFace CSV on frame', async () => {
    await call('videos.codeSegment', { videoId, code: 'AU12', first: 1, last: 30, coder: 'Ana' })
    await call('videos.saveEvent', {
      videoId,
      code: 'AU12',
      onset: 11,
      apex: 15,
      offset: 20,
      intensity: 4,
      coder: 'Ana',
    })
    await call('videos.saveEvent', {
      videoId,
      code: 'AU6',
      onset: 12,
      apex: 14,
      offset: 16,
      intensity: null,
      coder: 'Ana',
    })

    const eventsFile = join(wb.dir, 'events.csv')
    await exportAuEvents(ws().db, eventsFile)
    const events = parse(readFileSync(eventsFile), { columns: true }) as Record<string, string>[]
    expect(events).toEqual([
      expect.objectContaining({ video: 'smile.avi', coder: 'Ana', au: 'AU6', onset_frame: '12', intensity: '' }),
      {
        video: 'smile.avi',
        dataset: 'smile',
        coder: 'Ana',
        au: 'AU12',
        onset_frame: '11',
        apex_frame: '15',
        offset_frame: '20',
        onset_s: '0.4',
        apex_s: '0.56',
        offset_s: '0.76',
        intensity: '4',
        intensity_letter: 'D',
      },
    ])

    const framesFile = join(wb.dir, 'frames.csv')
    await exportVideoFrames(ws().db, framesFile)
    const frames = parse(readFileSync(framesFile), { columns: true }) as Record<string, string>[]
    expect(frames).toHaveLength(50)
    expect(Object.keys(frames[0]).slice(0, 6)).toEqual([
      'video',
      'frame',
      'face_id',
      'timestamp',
      'confidence',
      'success',
    ])
    const at = (n: number) => frames.find((f) => f.frame === String(n))!
    expect([at(15).AU12_r, at(15).AU12_c, at(15).AU06_r, at(15).AU06_c]).toEqual(['4', '1', '', '1'])
    expect([at(25).AU12_r, at(25).AU12_c, at(45).AU12_r, at(45).AU12_c]).toEqual(['0', '0', '', ''])
    expect(at(11).timestamp).toBe('0.4')
    expect([at(11).confidence, at(11).success]).toEqual(['', '']) // a tracker's columns; people coded these

    // An OpenFace-style file of the same video: one row per frame, `frame` from 1, AU12_r estimated.
    const openFace = Array.from({ length: 50 }, (_, i) => ({ frame: String(i + 1), AU12_r: (i / 10).toFixed(2) }))
    const joined = openFace.map((o) => ({ ...o, coded: frames.find((f) => f.frame === o.frame) }))
    expect(joined.every((j) => j.coded)).toBe(true)
    expect(joined[14].coded!.AU12_r).toBe('4')

    // The labels export in OpenFace's layout numbers the same frames the same way, with their time.
    const labelsFile = join(wb.dir, 'labels-openface.csv')
    await exportLabels(ws().db, labelsFile, { columns: 'openface' })
    const labelled = parse(readFileSync(labelsFile), { columns: true }) as Record<string, string>[]
    const row = (n: number) => labelled.find((r) => r.frame === String(n))!
    expect([row(11).timestamp, row(15).AU12_r]).toEqual([at(11).timestamp, '4'])
  })

  it('writes the same OpenFace columns and cells in the frames export and the labels export (one layout)', async () => {
    // A dataset's trace of AU12 on an absent frame (DISFA's 1 under its presence threshold), AU12 at D on another.
    const frameId = (n: number) =>
      ws().db.prepare('SELECT id FROM images WHERE video_id = ? AND frame = ?').pluck().get(videoId, n) as number
    const au12 = ws().db.prepare("SELECT id FROM classes WHERE code = 'AU12'").pluck().get() as number
    const label = ws().db.prepare(
      "INSERT INTO labels (image_id, class_id, value, intensity, set_by, set_at) VALUES (?, ?, ?, ?, 'import', 0)",
    )
    label.run(frameId(3), au12, 0, 1)
    label.run(frameId(4), au12, 1, 4)
    const framesFile = join(wb.dir, 'frames.csv')
    await exportVideoFrames(ws().db, framesFile)
    const labelsFile = join(wb.dir, 'labels.csv')
    await exportLabels(ws().db, labelsFile, { columns: 'openface' })
    const frames = parse(readFileSync(framesFile), { columns: true }) as Record<string, string>[]
    const labelled = parse(readFileSync(labelsFile), { columns: true }) as Record<string, string>[]
    const openFace = ['frame', 'face_id', 'timestamp', 'confidence', 'success', 'AU12_r', 'AU12_c']
    const pick = (r: Record<string, string>) => openFace.map((c) => r[c])
    for (const n of [1, 3, 4, 50]) {
      const inFrames = frames.find((r) => r.frame === String(n))!
      const inLabels = labelled.find((r) => r.frame === String(n))!
      expect(pick(inFrames)).toEqual(pick(inLabels))
    }
    expect(pick(frames.find((r) => r.frame === '3')!)).toEqual(['3', '0', '0.08', '', '', '1', '0'])
    expect(pick(frames.find((r) => r.frame === '4')!)).toEqual(['4', '0', '0.12', '', '', '4', '1'])
    // The AU columns: every _r, then every _c, by AU number (the labels export has the AUs its labels use).
    const auHeaders = (r: Record<string, string>) => Object.keys(r).filter((k) => /^AU\d\d_[rc]$/.test(k))
    const aus = ['01', '02', '04', '05', '06', '09', '12', '17', '20', '25', '26']
    expect(auHeaders(frames[0])).toEqual([...aus.map((a) => `AU${a}_r`), ...aus.map((a) => `AU${a}_c`)])
    expect(auHeaders(labelled[0])).toEqual(['AU12_r', 'AU12_c'])
  })
})
