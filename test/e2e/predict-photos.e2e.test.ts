import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema } from '../../src/shared/run-config'
import { demoPhoto, fixturePhoto } from '../../src/main/faces/test-photos.fixture'
import { tempDir } from '../helpers/workbench'
import { callApi, createDemoWorkspace, openBrowser, startServe, type Browser, type ServeProcess } from './harness'

// "Predict photos…" in the Runs view (Chromium, headless mode): a folder of study photos on the
// server, given by its path, has its faces found, imported, predicted with a tiny run and exported;
// the CSV downloads in the browser. Stop, asked while faces are searched, adds nothing.

let serve: ServeProcess
let browser: Browser
let runId: number
let photos: string

function photoFolder(dir: string, files: string[]): string {
  mkdirSync(dir, { recursive: true })
  for (const file of files) copyFileSync(file, join(dir, basename(file)))
  return dir
}

/** The tiny run trains and predicts its own training set in a trainer process; wait for its end. */
async function untilFinished(id: number): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 150_000;) {
    const run = await callApi(serve, 'runs.get', { id })
    if (run.status === 'finished') return
    if (run.status === 'failed') throw new Error(`run ${id} failed: ${run.statusReason}`)
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  throw new Error(`run ${id} did not finish in 150 s`)
}

async function openForm(page: Page): Promise<void> {
  await page.goto(`${serve.url}#/runs`)
  await page.getByRole('button', { name: `Predict photos with run ${runId}` }).click()
  await page.getByRole('form', { name: `Predict photos with run ${runId}` }).waitFor()
  await page.getByRole('textbox', { name: 'Folder of photos (on the machine running the workbench)' }).fill(photos)
}

beforeAll(async () => {
  const root = tempDir('affect-predict-photos-')
  // A group photo of the face-api demo (3 faces) and a photo with no face.
  photos = photoFolder(join(root, 'session-2'), [demoPhoto(1), fixturePhoto('rocket.jpg')])
  serve = await startServe(['--workspace', createDemoWorkspace(join(root, 'ws'))])
  const config = RunConfigSchema.parse({
    method: 'sjmt',
    network: 'resnet-8',
    inputSize: 16,
    batchSize: 16,
    steps: 10,
    validateEvery: 10,
    checkpointEvery: 10,
    backend: 'wasm',
  })
  runId = (await callApi(serve, 'runs.start', { config, name: 'tiny' })).id
  await untilFinished(runId)
  browser = await openBrowser()
})
afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

describe('predicting a folder of photos from the Runs view', () => {
  it('stops while faces are searched: nothing is added', async () => {
    const { page } = browser
    await openForm(page)
    await page.getByRole('button', { name: 'Predict photos', exact: true }).click()
    await page.getByRole('button', { name: 'Stop predicting photos' }).click()
    await page.getByRole('status').filter({ hasText: 'The import was stopped: nothing was added' }).waitFor()
    expect((await callApi(serve, 'datasets.list', {})).map((d) => d.name)).not.toContain('photos-session-2')
  })

  it('finds, imports, predicts and exports the faces, with the CSV to download', async () => {
    const { page } = browser
    await openForm(page)
    await page.getByRole('button', { name: 'Predict photos', exact: true }).click()
    await page.getByRole('progressbar', { name: /^(Reading photos|Finding faces|Predicting faces)/ }).waitFor()
    const done = page.getByRole('status').filter({ hasText: 'faces predicted' })
    await done.waitFor({ timeout: 150_000 })
    expect(await done.textContent()).toBe(
      '3 faces found in 2 photos (1 without a face); 3 new in dataset photos-session-2, 0 already there. 3 faces predicted; 3 rows written to ' +
        (await page.getByRole('link', { name: /^Download / }).textContent())!.replace('Download ', '') +
        '.',
    )
    expect(await page.getByRole('list', { name: 'Photos not predicted' }).textContent()).toContain(
      'rocket.jpg: no face found',
    )
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /^Download / }).click(),
    ])
    const rows = parse(readFileSync((await csv.path())!), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => [r.dataset, r.source_path, r.face_index])).toEqual([
      ['photos-session-2', 'sample1.jpg', '0'],
      ['photos-session-2', 'sample1.jpg', '1'],
      ['photos-session-2', 'sample1.jpg', '2'],
    ])
    for (const r of rows) expect(Number(r.predicted_emotion_p)).toBeGreaterThan(0)
    // The new dataset is in the catalogue.
    const dataset = (await callApi(serve, 'datasets.list', {})).find((d) => d.name === 'photos-session-2')
    expect(dataset?.images).toBe(3)
  })
})
