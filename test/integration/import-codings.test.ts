import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDataset } from '../../src/main/import/import-dataset'
import { callOk } from '../helpers/call'
import { writePng } from '../helpers/images'
import { testWorkbench } from '../helpers/workbench'

// Issue 14 on data imported after migration 0008: each imported label is also the coding of the
// import's annotator (as the migration did for older labels), so a second coder's codes stand beside
// it, agreement counts the image, and one coder alone still sees their coding as the consensus.

let wb: ReturnType<typeof testWorkbench>
const db = () => wb.ctx.requireWorkspace().db

const LABELS = `SELECT l.image_id, c.code, l.value, l.intensity, l.set_by FROM labels l JOIN classes c ON c.id = l.class_id
  ORDER BY l.image_id, c.code`
const CODINGS = `SELECT k.image_id, c.code, k.value, k.intensity, o.name AS set_by FROM codings k
  JOIN classes c ON c.id = k.class_id JOIN coders o ON o.id = k.coder_id ORDER BY k.image_id, c.code`

beforeAll(async () => {
  wb = testWorkbench()
  const data = join(wb.dir, 'study')
  for (let i = 1; i <= 4; i++) await writePng(join(data, `f${i}.png`), i)
  writeFileSync(
    join(data, 'labels.csv'),
    ['path,happy,sad,AU12,AU12_r', 'f1.png,1,0,1,3', 'f2.png,0,1,0,', 'f3.png,1,0,,', 'f4.png,,,1,'].join('\n'),
  )
  const report = await importDataset(wb.ctx.requireWorkspace(), {
    format: 'csv',
    faces: 'whole',
    path: join(data, 'labels.csv'),
    name: 'study',
  })
  expect(report.imported).toBe(4)
})
afterAll(() => wb.cleanup())

describe('labels imported after the coders migration', () => {
  it('are each the coding of the import annotator as well as the consensus', () => {
    const labels = db().prepare(LABELS).all()
    expect(labels.length).toBeGreaterThan(8)
    expect(db().prepare(CODINGS).all()).toEqual(labels)
    expect(db().prepare('SELECT codes FROM coder_codes WHERE image_id = 1').pluck().get()).toMatch(/[1-7]/)
  })

  it('count in agreement once a second coder codes, and keep the consensus where the two disagree', async () => {
    const [first, second] = db().prepare('SELECT id FROM images ORDER BY id LIMIT 2').pluck().all() as number[]
    await callOk(wb, 'coders.create', { name: 'Ana', role: 'coder' })
    await callOk(wb, 'codings.save', {
      imageId: first,
      coder: 'Ana',
      changes: [{ code: 'AU12', value: 0 }],
      reason: '',
    })
    await callOk(wb, 'codings.save', {
      imageId: second,
      coder: 'Ana',
      changes: [{ code: 'AU12', value: 0 }],
      reason: '',
    })
    const report = await callOk(wb, 'agreement.get', { dataset: 'study' })
    expect(report.coders).toEqual(['import:csv', 'Ana'])
    expect(report.images).toBe(2)
    expect(report.perClass.AU12.n).toBe(2)
    const au12 = (imageId: number) =>
      db()
        .prepare(
          "SELECT value FROM labels WHERE image_id = ? AND class_id = (SELECT id FROM classes WHERE code = 'AU12')",
        )
        .pluck()
        .get(imageId)
    expect(au12(first)).toBe(1)
    expect(au12(second)).toBe(0)
  })
})
