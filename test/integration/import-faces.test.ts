import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportResult, ImageDetail, ImportReport, MethodArgs, MethodName } from '../../src/shared/contract'
import type { FaceBox } from '../../src/shared/faces'
import { buildSnapshot } from '../../src/main/runs/build-snapshot'
import { thumbnailPath } from '../../src/main/catalogue/media'
import { demoPhoto, fixturePhoto, writeOddPhotos } from '../../src/main/faces/test-photos.fixture'
import { testWorkbench } from '../helpers/workbench'
import { callOk } from '../helpers/call'

// Real photographs through an import with faces (issue 12): each face one item with its box,
// landmarks, score and aligned crop; photos without a face and broken files reported by name and
// not added; the crop used for thumbnails and training; the labels export carrying the face; a
// coder's box edit cutting the crop again; a stopped import adding nothing.

let wb: ReturnType<typeof testWorkbench>
let photos: string
let report: ImportReport

const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callOk(wb, method, args)
const db = () => wb.ctx.requireWorkspace().db

// As the face finder's own tests pin them (src/main/faces/find-in-photo.test.ts), [x, y, w, h].
const SAMPLE1 = [
  [412, 354, 179, 239],
  [837, 418, 190, 226],
  [1472, 197, 205, 239],
]

function expectBox(actual: FaceBox, [x, y, width, height]: number[], tolerance = 4): void {
  const off = Math.max(
    Math.abs(actual.x - x),
    Math.abs(actual.y - y),
    Math.abs(actual.width - width),
    Math.abs(actual.height - height),
  )
  expect(off, `box ${JSON.stringify(actual)} vs [${x}, ${y}, ${width}, ${height}]`).toBeLessThanOrEqual(tolerance)
}

interface FaceItem {
  id: number
  path: string
  source_path: string
  face_index: number
  face_x: number
  face_y: number
  face_w: number
  face_h: number
  face_score: number
  face_landmarks: string
  crop_sha256: string
}
const faceItems = (dataset: string): FaceItem[] =>
  db()
    .prepare(
      `SELECT i.id, i.path, i.source_path, i.face_index, i.face_x, i.face_y, i.face_w, i.face_h, i.face_score, i.face_landmarks, i.crop_sha256
       FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.name = ? ORDER BY i.id`,
    )
    .all(dataset) as FaceItem[]
const boxOf = (f: FaceItem): FaceBox => ({ x: f.face_x, y: f.face_y, width: f.face_w, height: f.face_h })
const cropFiles = (): number =>
  readdirSync(wb.ctx.requireWorkspace().cropsDir, { recursive: true }).filter((f) => String(f).endsWith('.png')).length

beforeAll(async () => {
  wb = testWorkbench()
  photos = join(wb.dir, 'photos')
  mkdirSync(photos)
  const odd = await writeOddPhotos(join(wb.dir, 'odd'))
  for (const file of [demoPhoto(1), fixturePhoto('grace_hopper_512x512.jpg'), fixturePhoto('rocket.jpg')])
    copyFileSync(file, join(photos, basename(file)))
  for (const file of [odd.exifRotated, odd.corrupt, odd.empty]) copyFileSync(file, join(photos, basename(file)))
  report = await call('import.run', { format: 'folder', path: photos, name: 'study', faces: 'detect' })
}, 120_000)
afterAll(() => wb.cleanup())

describe('an import with faces, on real photographs', () => {
  it('makes each face found an item: the pinned boxes, 68 landmarks, a score and a crop', () => {
    expect(report.faces).toMatchObject({ mode: 'detect', photosSearched: 4, facesFound: 5, photosWithoutFace: 1 })
    expect(report.imported).toBe(5)
    const items = faceItems('study')
    expect(items.map((f) => f.path)).toEqual([
      'grace_hopper_512x512.jpg#face0',
      'hopper-exif6.jpg#face0',
      'sample1.jpg#face0',
      'sample1.jpg#face1',
      'sample1.jpg#face2',
    ])
    const sample1 = items.filter((f) => f.source_path === 'sample1.jpg')
    expect(sample1.map((f) => f.face_index)).toEqual([0, 1, 2])
    sample1.forEach((f, i) => expectBox(boxOf(f), SAMPLE1[i]))
    for (const f of items) {
      expect(JSON.parse(f.face_landmarks)).toHaveLength(68)
      expect(f.face_score).toBeGreaterThan(0.5)
      expect(f.crop_sha256).toMatch(/^[0-9a-f]{64}$/)
    }
  })

  it('finds the face of an EXIF-rotated copy at the same box, in the upright frame', () => {
    const [hopper, rotated] = faceItems('study')
    expectBox(boxOf(rotated), [hopper.face_x, hopper.face_y, hopper.face_w, hopper.face_h], 3)
    const detail = db().prepare('SELECT width, height FROM images WHERE id = ?').get(rotated.id)
    expect(detail).toEqual({ width: 512, height: 512 })
  })

  it('reports a photo without a face and broken files by name, adding nothing for them', () => {
    const by = (file: string) => report.issues.filter((i) => i.file === file).map((i) => i.reason)
    expect(by('rocket.jpg')).toEqual(['no face found'])
    expect(by('corrupt.jpg')).toEqual(['unreadable image'])
    expect(by('empty.jpg')).toEqual(['unreadable image'])
    expect(report.issues.find((i) => i.file === 'rocket.jpg')?.detail).toContain('rocket.jpg')
    expect(faceItems('study').some((f) => /rocket|corrupt|empty/.test(f.source_path))).toBe(false)
  })

  it('shows the crop as the thumbnail, serves it, and trains on it, never on the photo', async () => {
    const [hopper] = faceItems('study')
    const crop = await wb.media(hopper.id, 'crop')
    expect(crop.mime).toBe('image/png')
    expect(await sharp(crop.bytes).metadata()).toMatchObject({ width: 128, height: 128 })
    // A 128 px crop is no larger than a thumbnail: it is its own thumbnail, and none is drawn.
    expect(await wb.media(hopper.id, 'thumb')).toEqual(crop)
    expect(existsSync(thumbnailPath(wb.ctx.requireWorkspace().thumbnailsDir, hopper.crop_sha256))).toBe(false)
    const full = await wb.media(hopper.id, 'full')
    expect(await sharp(full.bytes).metadata()).toMatchObject({ width: 512, height: 512 })
    const snapshot = buildSnapshot(db(), { datasets: ['study'] })
    expect(snapshot.images.map((i) => i.path)).toEqual(
      faceItems('study').map((f) => `crops/${f.crop_sha256.slice(0, 2)}/${f.crop_sha256}.png`),
    )
  })

  it('gives the image its face in the Label view: box, landmarks, faces in the photo', async () => {
    const item = faceItems('study')[3]
    const detail = (await call('images.get', { id: item.id })) as ImageDetail
    expect(detail.face).toMatchObject({
      sourcePath: 'sample1.jpg',
      index: 1,
      origin: 'detected',
      notAFace: false,
      photoWidth: 1920,
      facesInPhoto: 3,
    })
    expect(detail.face.landmarks).toHaveLength(68)
  })

  it('exports labels with the face columns, which pandas reads with no options', async () => {
    const result = (await call('exports.create', { kind: 'labels' })) as ExportResult
    const python = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `
import sys, pandas as pd
d = pd.read_csv(sys.argv[1])
s = d[d.source_path == 'sample1.jpg'].sort_values('face_index')
print(len(d), list(s.face_index), d.face_x.dtype, d.face_score.dtype, int(d.face_score.notna().all()), round(s.face_x.iloc[0]))
`,
        result.file,
      ],
      { encoding: 'utf8' },
    )
    expect(python.stderr).toBe('')
    expect(python.stdout.trim()).toBe('5 [0, 1, 2] float64 float64 1 412')
  })

  it("cuts the crop again when a coder moves the box, and keeps the change in the image's history", async () => {
    const item = faceItems('study')[2]
    const box = { x: 400, y: 340, width: 200, height: 260 }
    const { face, event } = await call('faces.edit', { imageId: item.id, box, who: 'Ana', reason: 'chin cut off' })
    expect(face).toMatchObject({ origin: 'edited', box })
    expect(event).toMatchObject({ newBox: box, who: 'Ana', reason: 'chin cut off', oldNotAFace: false })
    expectBox(event.oldBox!, SAMPLE1[0])
    const after = faceItems('study')[2]
    expect(after.crop_sha256).not.toBe(item.crop_sha256)
    const detail = (await call('images.get', { id: item.id })) as ImageDetail
    expect(detail.faceHistory.map((e) => e.reason)).toEqual(['chin cut off'])
    const outside = await wb.router.call('faces.edit', {
      imageId: item.id,
      box: { x: 1800, y: 0, width: 300, height: 100 },
      who: 'Ana',
    })
    expect(!outside.ok && outside.error.message).toMatch(/reaches outside its 1920 x 1280 photo/)
  })

  it('leaves a face marked "not a face" out of training', async () => {
    const item = faceItems('study')[4]
    await call('faces.edit', { imageId: item.id, notAFace: true, who: 'Ana' })
    const snapshot = buildSnapshot(db(), { datasets: ['study'] })
    expect(snapshot.images.map((i) => i.id)).not.toContain(item.id)
    expect(snapshot.images).toHaveLength(4)
  })

  it('filters the catalogue by detector score, "not a face" and faces per photo', async () => {
    const paths = async (faces: MethodArgs<'images.page'>['faces']) =>
      (await call('images.page', { faces, sort: 'path' })).items.map((i) => i.path)
    expect(await paths({ perPhotoAtLeast: 3 })).toEqual(['sample1.jpg#face0', 'sample1.jpg#face1', 'sample1.jpg#face2'])
    expect(await paths({ notAFace: true })).toEqual(['sample1.jpg#face2'])
    const scores = faceItems('study').map((f) => f.face_score)
    const lowest = Math.min(...scores)
    expect(await paths({ scoreBelow: lowest + 1e-6 })).toHaveLength(1)
    expect((await call('images.page', { faces: { scoreBelow: 1 } })).total).toBe(5)
  })

  it('adds nothing when stopped while the face finder works, and removes the crops it wrote', async () => {
    const more = join(wb.dir, 'more')
    mkdirSync(more)
    for (const n of [2, 3, 4] as const) copyFileSync(demoPhoto(n), join(more, `sample${n}.jpg`))
    const images = db().prepare('SELECT count(*) AS n FROM images').get()
    const crops = cropFiles()
    const off = wb.ctx.events.on('import.progress', (p) => {
      if (p.total !== null) void wb.router.call('import.stop', {})
    })
    const stopped = await wb.router.call('import.run', { format: 'folder', path: more, faces: 'detect' })
    off()
    expect(!stopped.ok && stopped.error).toMatchObject({ code: 'import_failed', details: { reason: 'stopped' } })
    expect(db().prepare('SELECT count(*) AS n FROM images').get()).toEqual(images)
    expect(cropFiles()).toBe(crops)
  }, 120_000)
})
