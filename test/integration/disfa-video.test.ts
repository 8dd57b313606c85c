import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importDataset } from '../../src/main/import/import-dataset'
import { makeVideo } from '../helpers/videos'
import { testWorkbench } from '../helpers/workbench'

// A small dataset in DISFA's own layout: the subject's video (2 s at 25 fps: 50 frames, from 1)
// and one label file per AU, `frame,intensity` per line.

let wb: ReturnType<typeof testWorkbench>
let disfa: string
const ws = () => wb.ctx.requireWorkspace()

function labelFile(au: number, intensityOf: (frame: number) => string, frames = 50): void {
  const dir = join(disfa, 'ActionUnit_Labels', 'SN001')
  mkdirSync(dir, { recursive: true })
  const lines = Array.from({ length: frames }, (_, i) => `${i + 1},${intensityOf(i + 1)}`)
  writeFileSync(join(dir, `SN001_au${au}.txt`), lines.join('\n') + '\n')
}

beforeEach(() => {
  wb = testWorkbench()
  disfa = join(wb.dir, 'DISFA')
  makeVideo(join(disfa, 'Videos_LeftCamera', 'LeftVideoSN001_comp.avi'), { seconds: 2, fps: 25 })
  // AU12 rises to 4 (D) over frames 20-30; two lines past the video's end; one intensity out of range.
  labelFile(12, (f) => (f === 40 ? '7' : f >= 20 && f <= 30 ? (f === 25 ? '4' : '2') : '0'), 52)
  labelFile(6, (f) => (f >= 22 && f <= 28 ? '1' : '0'))
})
afterEach(() => wb.cleanup())

describe('DISFA, read from its own videos', () => {
  it('imports every frame of the video with its intensities, and reports bad lines with file and line', async () => {
    const report = await importDataset(ws(), { format: 'disfa', faces: 'whole', path: disfa })
    expect(report.imported).toBe(50)
    expect(report.labelSpace).toEqual(['AU6', 'AU12'])
    const label = (frame: number, code: string) =>
      ws()
        .db.prepare(
          `SELECT l.value, l.intensity FROM labels l JOIN images i ON i.id = l.image_id JOIN classes c ON c.id = l.class_id
           WHERE i.frame = ? AND c.code = ?`,
        )
        .get(frame, code)
    expect(label(25, 'AU12')).toEqual({ value: 1, intensity: 4 })
    expect(label(21, 'AU12')).toEqual({ value: 1, intensity: 2 })
    expect(label(10, 'AU12')).toEqual({ value: 0, intensity: null })
    expect(label(40, 'AU12')).toBeUndefined()
    expect(label(25, 'AU6')).toEqual({ value: 0, intensity: 1 }) // a trace (A): absent, its A kept
    const where = report.issues.map((i) => `${i.file}:${i.row} ${i.reason}`)
    expect(where).toEqual([
      'ActionUnit_Labels/SN001/SN001_au12.txt:40 bad label value',
      'ActionUnit_Labels/SN001/SN001_au12.txt:51 frame past the end',
      'ActionUnit_Labels/SN001/SN001_au12.txt:52 frame past the end',
    ])
    expect(ws().db.prepare('SELECT path, frames FROM videos').get()).toEqual({
      path: 'Videos_LeftCamera/LeftVideoSN001_comp.avi',
      frames: 50,
    })
  })

  it('with --fps, gives each frame the labels of the video frame it is', async () => {
    const report = await importDataset(ws(), { format: 'disfa', faces: 'whole', path: disfa, options: { fps: 5 } })
    expect(report.imported).toBe(10)
    const au12 = ws()
      .db.prepare(
        `SELECT i.frame, l.value, l.intensity FROM images i JOIN labels l ON l.image_id = i.id
         JOIN classes c ON c.id = l.class_id WHERE c.code = 'AU12' ORDER BY i.frame`,
      )
      .all()
    // Frame n at 5 fps is the video's frame 5(n - 1) + 1: frames 5 and 6 are its 21st and 26th.
    expect(au12.slice(3, 7)).toEqual([
      { frame: 4, value: 0, intensity: null },
      { frame: 5, value: 1, intensity: 2 },
      { frame: 6, value: 1, intensity: 2 },
      { frame: 7, value: 0, intensity: null },
    ])
  })

  it('says which video is missing and imports nothing of that subject', async () => {
    const report = await importDataset(ws(), {
      format: 'disfa',
      faces: 'whole',
      path: disfa,
      options: { camera: 'right' },
    })
    expect(report.imported).toBe(0)
    expect(report.issues.at(-1)).toMatchObject({ file: 'ActionUnit_Labels/SN001', reason: 'missing image' })
    expect(report.issues.at(-1)!.detail).toMatch(/no video Videos_RightCamera\/RightVideoSN001_comp.avi/)
  })
})
