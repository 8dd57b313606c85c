import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportReport } from '../../src/shared/contract'
import { importDataset, type ImportRequest } from '../../src/main/import/import-dataset'
import { writePng } from '../helpers/images'
import { testWorkbench } from '../helpers/workbench'

// Symbolic links in a dataset (issue 10, item 2): a link back into the dataset made the folder
// walk go 40 levels deep and label images by the wrong class folder, and links to files outside
// the dataset were imported. No reader may follow a folder link out of or back into the dataset,
// and an image reached through a link that leaves the dataset is reported with its real path.

let wb: ReturnType<typeof testWorkbench>
let ds: string
let outside: string
let seed = 0

beforeEach(async () => {
  wb = testWorkbench()
  ds = join(wb.dir, 'ds')
  outside = join(wb.dir, 'outside')
  await writePng(join(outside, 'out.png'), 900)
  await writePng(join(outside, 'dir', 'o1.png'), 901)
  await writePng(join(outside, 'dir', '0001.jpg'), 902)
})
afterEach(() => wb.cleanup())

const png = (rel: string) => writePng(join(ds, rel), ++seed)
const text = (rel: string, content: string) => {
  mkdirSync(dirname(join(ds, rel)), { recursive: true })
  writeFileSync(join(ds, rel), content)
}
/** A link at `rel` inside the dataset to `target` (relative to the link's folder, or absolute). */
const link = (rel: string, target: string) => {
  mkdirSync(dirname(join(ds, rel)), { recursive: true })
  symlinkSync(target, join(ds, rel))
}

async function run(
  request: Omit<ImportRequest, 'name'>,
): Promise<{ report: ImportReport; paths: string[]; labels: Record<string, Record<string, number>> }> {
  // The fixtures are tiny pictures, not photographs: kept whole (the links are what is tested).
  const report = await importDataset(wb.ctx.requireWorkspace(), { faces: 'whole', ...request, name: 'linked' })
  const db = wb.ctx.requireWorkspace().db
  const rows = db
    .prepare(
      'SELECT i.path, c.code, l.value FROM images i LEFT JOIN labels l ON l.image_id = i.id LEFT JOIN classes c ON c.id = l.class_id ORDER BY i.path',
    )
    .all() as { path: string; code: string | null; value: number | null }[]
  const labels: Record<string, Record<string, number>> = {}
  for (const r of rows) {
    labels[r.path] ??= {}
    if (r.code) labels[r.path][r.code] = r.value!
  }
  return { report, paths: Object.keys(labels), labels }
}

/** Every stored image resolves, links included, to a file inside the dataset. */
function expectAllInside(paths: string[], root = ds): void {
  const real = realpathSync(root)
  for (const p of paths) expect(relative(real, realpathSync(join(root, p))).startsWith('..')).toBe(false)
}

const outsideReported = (report: ImportReport) =>
  report.issues.filter((i) => i.reason === 'path escapes root' && i.detail.includes(realpathSync(outside)))

describe('imports never follow links out of or back into the dataset', () => {
  it("folder: a loop link, a folder link and a file link leave labels to each image's own class folder", async () => {
    await png('happy/a.png')
    await png('sad/ok2.png')
    await png('notaclass/x.png')
    link('happy/loop', '..')
    link('happy/ext', join(outside, 'dir'))
    link('happy/outfile.png', join(outside, 'out.png'))
    link('happy/gone.png', join(outside, 'no-such.png'))
    const { report, paths, labels } = await run({ format: 'folder', path: ds })
    expect(paths).toEqual(['happy/a.png', 'sad/ok2.png'])
    expect(labels['sad/ok2.png']).toEqual({ happy: 0, sad: 1 })
    expect(labels['happy/a.png']).toEqual({ happy: 1, sad: 0 })
    expect(report.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'notaclass', reason: 'unknown code' }),
        expect.objectContaining({ file: 'happy/loop', reason: 'link not followed' }),
        expect.objectContaining({ file: 'happy/ext', reason: 'path escapes root' }),
        expect.objectContaining({ file: 'happy/outfile.png', reason: 'path escapes root' }),
        expect.objectContaining({
          file: 'happy/gone.png',
          reason: 'missing image',
          detail: 'happy/gone.png is a link to a file that does not exist',
        }),
      ]),
    )
    expect(outsideReported(report)).toHaveLength(2)
    // The walk stopped at the link: nothing was met twice.
    expect(report.skippedByReason['duplicate content']).toBeUndefined()
  })

  it('folder: a class folder that is itself a link is not read as that class', async () => {
    await png('happy/a.png')
    await png('store/b.png')
    link('sad', 'store')
    link('angry', join(outside, 'dir'))
    const { report, paths } = await run({ format: 'folder', path: ds })
    expect(paths).toEqual(['happy/a.png'])
    expect(report.labelSpace).toEqual(['happy'])
    expect(report.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'sad', reason: 'link not followed' }),
        expect.objectContaining({ file: 'angry', reason: 'path escapes root' }),
      ]),
    )
  })

  it('sfew: loop and outside links under the class and test folders', async () => {
    await png('Train/Train_Aligned_Faces/Happy/a.png')
    await png('Train/Train_Aligned_Faces/Sad/b.png')
    link('Train/Train_Aligned_Faces/Happy/loop', '../..')
    link('Train/Train_Aligned_Faces/Sad/out.png', join(outside, 'out.png'))
    await png('Test/Test_Aligned_Faces/t.png')
    link('Test/Test_Aligned_Faces/ext', join(outside, 'dir'))
    const { report, paths, labels } = await run({ format: 'sfew', path: ds })
    expect(paths).toEqual([
      'Test/Test_Aligned_Faces/t.png',
      'Train/Train_Aligned_Faces/Happy/a.png',
      'Train/Train_Aligned_Faces/Sad/b.png',
    ])
    expect(labels['Train/Train_Aligned_Faces/Sad/b.png']).toMatchObject({ happy: 0, sad: 1 })
    expect(outsideReported(report)).toHaveLength(2)
    expectAllInside(paths)
  })

  it('ckplus: a loop in the label folders and a frame linked outside', async () => {
    await png('cohn-kanade-images/S005/001/S005_001_00000011.png')
    link('cohn-kanade-images/S005/loop', '..')
    link('cohn-kanade-images/S006/001/S006_001_00000001.png', join(outside, 'out.png'))
    text('Emotion/S005/001/S005_001_00000011_emotion.txt', '3\n')
    link('Emotion/S005/loop', '..')
    text('Emotion/S006/001/S006_001_00000001_emotion.txt', '5\n')
    for (const allFrames of [false, true]) {
      const { report, paths } = await run({ format: 'ckplus', path: ds, options: { allFrames } })
      expect(paths).toEqual(['cohn-kanade-images/S005/001/S005_001_00000011.png'])
      expect(outsideReported(report).length).toBeGreaterThan(0)
      expect(report.skippedByReason['duplicate content']).toBeUndefined()
      wb.ctx
        .requireWorkspace()
        .db.exec('DELETE FROM labels; DELETE FROM images; DELETE FROM dataset_classes; DELETE FROM datasets')
    }
  })

  it('rafdb, affectnet, bp4d, disfa, emotionet, csv: images reached through links outside are reported, not imported', async () => {
    text('basic/EmoLabel/list_patition_label.txt', 'train_00001.jpg 5\ntrain_00002.jpg 4\n')
    link('basic/Image/aligned/train_00001_aligned.jpg', join(outside, 'out.png'))
    await png('basic/Image/aligned/train_00002_aligned.jpg')
    const rafdb = await run({ format: 'rafdb', path: ds })
    expect(rafdb.paths).toEqual(['basic/Image/aligned/train_00002_aligned.jpg'])
    expect(outsideReported(rafdb.report)).toEqual([
      expect.objectContaining({ file: 'basic/EmoLabel/list_patition_label.txt', row: 1 }),
    ])

    const cases: { request: Omit<ImportRequest, 'name'>; write: () => Promise<void> | void }[] = [
      {
        request: { format: 'affectnet', path: ds },
        write: () => {
          text(
            'training.csv',
            'subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal\n1/o1.png,0,0,9,9,,1,0,0\n',
          )
          link('Manually_Annotated_Images/1', join(outside, 'dir'))
        },
      },
      {
        request: { format: 'bp4d', path: ds },
        write: () => {
          text('AUCoding/AU_OCC/F001_T1.csv', 'frame,1\n1,1\n')
          link('Sequences/F001/T1', join(outside, 'dir'))
        },
      },
      {
        request: { format: 'disfa', path: ds },
        write: () => {
          text('ActionUnit_Labels/SN001/SN001_au1.txt', '1,3\n')
          link('Images/SN001', join(outside, 'dir'))
        },
      },
      {
        request: { format: 'emotionet', path: ds },
        write: () => {
          text('image_list_a.csv', 'path,AU1\nlinked/o1.png,1\n')
          link('linked', join(outside, 'dir'))
        },
      },
      {
        request: { format: 'csv', path: join(ds, 'labels.csv') },
        write: () => {
          text('labels.csv', 'path,happy\nlinked/o1.png,1\nout.png,1\n')
          link('linked', join(outside, 'dir'))
          link('out.png', join(outside, 'out.png'))
        },
      },
    ]
    for (const c of cases) {
      wb.ctx
        .requireWorkspace()
        .db.exec('DELETE FROM labels; DELETE FROM images; DELETE FROM dataset_classes; DELETE FROM datasets')
      rmSync(ds, { recursive: true, force: true })
      await c.write()
      const { report, paths } = await run(c.request)
      expect({ format: c.request.format, paths }).toEqual({ format: c.request.format, paths: [] })
      expect(outsideReported(report).length, `${c.request.format}: ${JSON.stringify(report.issues)}`).toBeGreaterThan(0)
    }
  })

  it("disfa: a subject's label folder that is a link is reported, not read as another subject", async () => {
    text('ActionUnit_Labels/SN001/SN001_au1.txt', '1,3\n')
    link('ActionUnit_Labels/SN002', 'SN001')
    await png('Images/SN001/0001.png')
    await png('Images/SN002/0001.png')
    const { report, paths } = await run({ format: 'disfa', path: ds })
    expect(paths).toEqual(['Images/SN001/0001.png'])
    expect(report.issues).toEqual([
      expect.objectContaining({ file: 'ActionUnit_Labels/SN002', reason: 'link not followed' }),
    ])
  })

  it("csv: a path through a link back into the dataset is stored as the image's own path", async () => {
    await png('sad/ok2.png')
    link('happy/loop', '..')
    text('labels.csv', 'path,sad\nhappy/loop/sad/ok2.png,1\n')
    const { paths } = await run({ format: 'csv', path: join(ds, 'labels.csv') })
    expect(paths).toEqual(['sad/ok2.png'])
  })
})
