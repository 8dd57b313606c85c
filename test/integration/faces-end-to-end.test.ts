import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName, RunSummary } from '../../src/shared/contract'
import { RunConfigSchema } from '../../src/shared/run-config'
import { waitForTrainer } from '../../src/main/runs/runs-service'
import { demoPhoto, fixturePhoto } from '../../src/main/faces/test-photos.fixture'
import { testWorkbench } from '../helpers/workbench'
import { callOk } from '../helpers/call'

// Real faces through the whole product (issue 12): photos imported with their faces beside the
// demo data, a 20-step SJMT run on all of it, then a folder of new study photos predicted in one
// go (faces found, imported, predicted, exported as CSV with the face columns).

let wb: ReturnType<typeof testWorkbench>
const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callOk(wb, method, args)

function folderOf(name: string, files: string[]): string {
  const dir = join(wb.dir, name)
  mkdirSync(dir)
  for (const file of files) copyFileSync(file, join(dir, basename(file)))
  return dir
}

beforeAll(async () => {
  wb = testWorkbench()
  await call('demo.create', { path: wb.ctx.requireWorkspace().path, size: 'small', seed: 2 })
}, 120_000)
afterAll(() => wb.cleanup())

describe('photos -> faces -> training -> prediction -> CSV', () => {
  let run: RunSummary

  it('trains 20 SJMT steps on the demo data and the faces of photos', async () => {
    const photos = folderOf('photos', [demoPhoto(1), fixturePhoto('grace_hopper_512x512.jpg')])
    const report = await call('import.run', { format: 'folder', path: photos, name: 'study' })
    expect(report.faces).toMatchObject({ mode: 'auto', photosSearched: 2, facesFound: 4 })
    // Tell one face's emotion, so that the study dataset has a label space to train on.
    const [first] = wb.ctx
      .requireWorkspace()
      .db.prepare("SELECT i.id FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.name = 'study'")
      .all() as { id: number }[]
    await call('labels.edit', { changes: [{ imageId: first.id, code: 'happy', value: 1 }], who: 'Ana' })
    const config = RunConfigSchema.parse({
      method: 'sjmt',
      network: 'resnet-8',
      inputSize: 16,
      batchSize: 8,
      steps: 20,
      validateEvery: 10,
      checkpointEvery: 10,
      backend: 'wasm',
    })
    run = await call('runs.start', { config, name: 'faces and demo' })
    run = await waitForTrainer(wb.ctx, run.id)
    expect(run.status).toBe('finished')
    const detail = await call('runs.get', { id: run.id })
    expect(JSON.parse(JSON.stringify(detail.datasets))).toContain('study')
  }, 180_000)

  it('predicts a folder of new photos in one go, exporting the CSV with the face columns', async () => {
    const folder = folderOf('session-2', [
      fixturePhoto('astronaut.png'),
      fixturePhoto('grace_hopper_512x512.jpg'),
      fixturePhoto('rocket.jpg'),
    ])
    const result = await call('runs.predictPhotos', { id: run.id, folder })
    expect(result.import).toMatchObject({ dataset: 'photos-session-2', imported: 2 })
    expect(result.import.issues).toEqual([expect.objectContaining({ file: 'rocket.jpg', reason: 'no face found' })])
    expect(result.predicted).toBe(2)
    const rows = parse(readFileSync(result.export.file), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => [r.dataset, r.source_path, r.face_index])).toEqual([
      ['photos-session-2', 'astronaut.png', '0'],
      ['photos-session-2', 'grace_hopper_512x512.jpg', '0'],
    ])
    for (const r of rows) {
      expect(Number(r.face_width)).toBeGreaterThan(50)
      expect(Number(r.face_score)).toBeGreaterThan(0.5)
      expect(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']).toContain(r.predicted_emotion)
      expect(Number(r.AU12_p)).toBeGreaterThanOrEqual(0)
    }
  }, 180_000)

  it('stops a photo prediction while faces are searched: nothing is added to the catalogue', async () => {
    const folder = folderOf('session-3', [fixturePhoto('astronaut.png'), fixturePhoto('grace_hopper_512x512.jpg')])
    // Stopped as soon as the photos are read, before the face finder has loaded its networks.
    const stopOnFirstPhoto = wb.ctx.events.on('import.progress', (p) => {
      if (p.dataset === 'photos-session-3') void call('runs.stopPredictPhotos', { id: run.id })
    })
    const result = await wb.router.call('runs.predictPhotos', { id: run.id, folder })
    stopOnFirstPhoto()
    expect(!result.ok && result.error).toMatchObject({ code: 'import_failed', details: { reason: 'stopped' } })
    expect((await call('datasets.list', {})).map((d) => d.name)).not.toContain('photos-session-3')
    expect(await call('runs.stopPredictPhotos', { id: run.id })).toEqual({ stopped: false })
  }, 180_000)

  it('stops a photo prediction while the faces are predicted: the imported faces stay, no CSV', async () => {
    const folder = folderOf('session-4', [fixturePhoto('astronaut.png')])
    const stopWhenPredicting = wb.ctx.events.on('run.log', (m) => {
      if (m.runId === run.id && m.message.startsWith('Predicting on'))
        void call('runs.stopPredictPhotos', { id: run.id })
    })
    const result = await wb.router.call('runs.predictPhotos', { id: run.id, folder })
    stopWhenPredicting()
    expect(!result.ok && result.error).toMatchObject({
      code: 'training_failed',
      details: { reason: 'stopped', dataset: 'photos-session-4', predicted: 0 },
    })
    expect(!result.ok && result.error.message).toContain('faces are in the catalogue as dataset photos-session-4')
    const dataset = (await call('datasets.list', {})).find((d) => d.name === 'photos-session-4')
    expect(dataset?.images).toBe(1)
    // The run itself is as it was.
    expect((await call('runs.get', { id: run.id })).status).toBe('finished')
  }, 180_000)
})
