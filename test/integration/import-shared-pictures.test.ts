import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import sharp from 'sharp'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName } from '../../src/shared/contract'
import { importDataset } from '../../src/main/import/import-dataset'
import { readMedia } from '../../src/main/catalogue/media'
import { Workspace } from '../../src/main/workspace/workspace'
import { waitForTrainer } from '../../src/main/runs/runs-service'
import { RunConfigSchema } from '../../src/shared/run-config'
import { testWorkbench } from '../helpers/workbench'
import { callOk } from '../helpers/call'
import { describeCoverage } from '../../src/shared/metrics/coverage'

// One picture in several datasets (issue 12, item 5): FER+ relabels FER2013's images, so importing
// it after FER2013 must work (it used to skip every row as duplicate content). Each dataset keeps
// its own labels; a picture in a training split of one dataset and a held-out split of another is
// reported, at import and by the leakage report behind `affect stats`.

let wb: ReturnType<typeof testWorkbench>
const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callOk(wb, method, args)
const ws = () => wb.ctx.requireWorkspace()

const pixels = (seed: number) => Array.from({ length: 2304 }, (_, i) => (i * seed) % 256).join(' ')

beforeAll(() => {
  wb = testWorkbench()
  const fer = join(wb.dir, 'fer')
  mkdirSync(fer)
  writeFileSync(
    join(fer, 'fer2013.csv'),
    `emotion,pixels,Usage\n3,${pixels(7)},Training\n4,${pixels(11)},PublicTest\n0,${pixels(13)},PrivateTest\n`,
  )
  writeFileSync(
    join(fer, 'fer2013new.csv'),
    'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n' +
      'Training,fer0000000.png,0,9,0,1,0,0,0,0,0,0\n' +
      'PublicTest,fer0000001.png,0,0,0,8,0,0,2,0,0,0\n' +
      'PrivateTest,fer0000002.png,1,0,0,0,9,0,0,0,0,0\n',
  )
})
afterAll(() => wb.cleanup())

describe('pictures given as pixels', () => {
  it('draws no thumbnails: a 48 px picture is shown as itself, its PNG', async () => {
    const pixelsWs = Workspace.create(join(wb.dir, 'pixels-ws'))
    try {
      const report = await importDataset(pixelsWs, { format: 'fer2013', path: join(wb.dir, 'fer', 'fer2013.csv') })
      expect(report.imported).toBe(3)
      const { id } = pixelsWs.db.prepare('SELECT id FROM images ORDER BY id LIMIT 1').get() as { id: number }
      const thumb = await readMedia(pixelsWs, id, 'thumb')
      expect(thumb).toEqual(await readMedia(pixelsWs, id, 'full'))
      expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'png', width: 48, height: 48 })
      expect(readdirSync(pixelsWs.thumbnailsDir, { recursive: true })).toEqual([])
    } finally {
      pixelsWs.close()
    }
  })
})

describe('one picture in several datasets', () => {
  it('imports FER+ after FER2013: media shared by content, labels per dataset', async () => {
    const fer2013 = await importDataset(ws(), { format: 'fer2013', path: join(wb.dir, 'fer', 'fer2013.csv') })
    expect(fer2013.imported).toBe(3)
    const ferplus = await importDataset(ws(), { format: 'ferplus', path: join(wb.dir, 'fer'), name: 'FER+' })
    expect(ferplus.skippedByReason).toEqual({})
    expect(ferplus.imported).toBe(3)
    expect(ferplus.leakage).toBe(0)
    const rows = ws()
      .db.prepare(
        `SELECT d.name, i.sha256, i.split, group_concat(c.code || '=' || l.value) AS labels FROM images i JOIN datasets d ON d.id = i.dataset_id
         LEFT JOIN labels l ON l.image_id = i.id AND l.value = 1 LEFT JOIN classes c ON c.id = l.class_id
         GROUP BY i.id ORDER BY i.sha256, d.name`,
      )
      .all() as { name: string; sha256: string; split: string; labels: string }[]
    expect(rows).toHaveLength(6)
    // The same picture, twice, with each dataset's own label.
    const first = rows.filter((r) => r.sha256 === rows[0].sha256)
    expect(first.map((r) => r.name).sort()).toEqual(['FER+', 'fer2013'])
  })

  it('re-importing FER+ adds nothing', async () => {
    const again = await importDataset(ws(), { format: 'ferplus', path: join(wb.dir, 'fer'), name: 'FER+' })
    expect(again).toMatchObject({ imported: 0, alreadyImported: 3 })
  })

  it('reports a picture held out in one dataset and trained on in another, at import and in the leakage report', async () => {
    const copy = join(wb.dir, 'copy')
    mkdirSync(copy)
    // FER2013's PublicTest picture, written by the workbench as PNG, filed for training here.
    const media = ws()
      .db.prepare(
        "SELECT i.path FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.name = 'fer2013' AND i.split = 'val'",
      )
      .get() as { path: string }
    const { copyFileSync } = await import('node:fs')
    copyFileSync(join(ws().mediaDir, 'fer2013', media.path), join(copy, 'again.png'))
    writeFileSync(join(copy, 'labels.csv'), 'path,split,sad\nagain.png,train,1\n')
    const report = await importDataset(ws(), {
      format: 'csv',
      faces: 'whole',
      path: join(copy, 'labels.csv'),
      name: 'copy',
    })
    expect(report.imported).toBe(1)
    expect(report.leakage).toBe(1)
    expect(report.issues).toEqual([
      expect.objectContaining({ file: 'labels.csv', row: 2, reason: 'leakage', kept: true }),
    ])
    expect(report.issues[0].detail).toMatch(
      /again\.png is in the train split here and in the val split of (fer2013|FER\+)/,
    )
    const leakage = await call('faces.leakage', {})
    expect(leakage.pictures).toBe(1)
    expect(leakage.examples[0]).toMatchObject({ train: 'copy/again.png' })
  })

  it('scores a picture held by two datasets in scope once, and says so', async () => {
    const config = RunConfigSchema.parse({
      network: 'resnet-8',
      inputSize: 16,
      batchSize: 4,
      steps: 2,
      validateEvery: 2,
      checkpointEvery: 2,
      backend: 'wasm',
      datasets: ['fer2013', 'FER+'],
    })
    const run = await call('runs.start', { config })
    expect((await waitForTrainer(wb.ctx, run.id)).status).toBe('finished')
    const evaluation = await call('runs.evaluate', { id: run.id, split: 'test' })
    expect(evaluation.coverage).toMatchObject({ images: 2, scored: 1, unpredicted: 0, samePicture: 1 })
    expect(describeCoverage('test', evaluation.coverage)).toBe(
      'Scored 1 of 2 test images; 1 is a picture of another dataset in scope, scored once.',
    )
  }, 120_000)
})
