import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DatasetSummary, ImagePage } from '../../src/shared/contract'
import { importDataset } from '../../src/main/import/import-dataset'
import { writePng } from '../helpers/images'
import { testWorkbench } from '../helpers/workbench'

// Imports follow the one-emotion rule of the label services: a row marking two emotions present is
// skipped and reported, unless the dataset is multi-label (FER+, or a CSV imported with multiLabel).

let wb: ReturnType<typeof testWorkbench>
let data: string
const ws = () => wb.ctx.requireWorkspace()

beforeEach(async () => {
  wb = testWorkbench()
  data = join(wb.dir, 'study')
  for (let i = 1; i <= 3; i++) await writePng(join(data, `f${i}.png`), i)
  writeFileSync(
    join(data, 'labels.csv'),
    ['path,happy,sad,angry,AU12', 'f1.png,1,0,0,1', 'f2.png,1,1,0,0', 'f3.png,0,1,1,1'].join('\n'),
  )
})
afterEach(() => wb.cleanup())

async function value<T>(method: 'datasets.list' | 'images.page', args: object): Promise<T> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(result.error.message)
  return result.value as T
}

describe('importing emotions', () => {
  it('skips a row of a one-emotion dataset that marks two emotions present, naming them', async () => {
    const report = await importDataset(ws(), {
      format: 'csv',
      faces: 'whole',
      path: join(data, 'labels.csv'),
      name: 'study',
    })
    expect(report.imported).toBe(1)
    expect(report.issues.map((i) => [i.row, i.reason, i.detail])).toEqual([
      [
        3,
        'malformed row',
        'happy and sad are both present, but emotions are one choice per image in this dataset: row skipped (import with the option multiLabel if the dataset gives several per image)',
      ],
      [4, 'malformed row', expect.stringMatching(/^angry and sad are both present/)],
    ])
    expect((await value<DatasetSummary[]>('datasets.list', {}))[0].multiLabel).toBe(false)
  })

  it('keeps them in a dataset imported as multi-label, which says so', async () => {
    const report = await importDataset(ws(), {
      format: 'csv',
      faces: 'whole',
      path: join(data, 'labels.csv'),
      name: 'study',
      options: { multiLabel: true },
    })
    expect(report.imported).toBe(3)
    expect((await value<DatasetSummary[]>('datasets.list', {}))[0].multiLabel).toBe(true)
    const page = await value<ImagePage>('images.page', { sort: 'path' })
    expect(page.items[1].labels).toEqual({ happy: 1, sad: 1, angry: 0, AU12: 0 })
  })

  it('marks FER+ (crowd votes over emotions) multi-label', async () => {
    const fer = join(wb.dir, 'ferplus')
    mkdirSync(fer)
    const pixels = Array.from({ length: 2304 }, (_, i) => i % 256).join(' ')
    writeFileSync(join(fer, 'fer2013.csv'), `emotion,pixels,Usage\n3,${pixels},Training\n`)
    writeFileSync(
      join(fer, 'fer2013new.csv'),
      'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\nTraining,fer0000000.png,0,6,0,4,0,0,0,0,0,0\n',
    )
    const report = await importDataset(ws(), { format: 'ferplus', path: fer, name: 'FER+' })
    expect(report.imported).toBe(1)
    expect(await value<DatasetSummary[]>('datasets.list', {})).toMatchObject([{ name: 'FER+', multiLabel: true }])
  })
})
