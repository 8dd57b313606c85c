import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { cpSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName } from '../../src/shared/contract'
import { generateDemo } from '../../src/main/demo'
import { MIGRATIONS } from '../../src/main/db/migrations'
import { waitForTrainer } from '../../src/main/runs/runs-service'
import { createWorkbench, type Workbench } from '../../src/main/app/assemble'
import { Settings } from '../../src/main/app/settings'
import { FAKE_BACKENDS, tempDir } from '../helpers/workbench'
import { callOk } from '../helpers/call'

// test/fixtures/workspace-0.1.0 was made by version 0.1.0 at /tmp/fx/ws (see its README): every
// path it stores is absolute and points there, so a copy of it is an old workspace that was moved.
// Opening the copy migrates it; nothing may be lost, and the copy must work where it is.

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'workspace-0.1.0')
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'affect.mjs')
const COUNTS = `SELECT (SELECT count(*) FROM images) AS images, (SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM label_events) AS labelEvents,
  (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM run_metrics) AS metrics, (SELECT count(*) FROM run_checkpoints) AS checkpoints,
  (SELECT count(*) FROM predictions) AS predictions, (SELECT group_concat(id || ':' || status) FROM runs) AS statuses`

let dir: string
let ws: string
let before: Record<string, unknown>
let wb: Workbench

const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callOk(wb, method, args)

beforeAll(() => {
  dir = tempDir()
  ws = join(dir, 'copied-ws')
  cpSync(FIXTURE, ws, { recursive: true })
  const old = new Database(join(ws, 'catalogue.sqlite'), { readonly: true })
  expect(old.pragma('user_version', { simple: true })).toBe(3)
  before = old.prepare(COUNTS).get() as Record<string, unknown>
  old.close()
  wb = createWorkbench({
    transport: 'cli',
    settings: new Settings(join(dir, 'settings.json')),
    workspace: ws,
    probe: async () => FAKE_BACKENDS,
  })
})
afterAll(() => {
  wb.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a workspace of version 0.1.0, copied elsewhere', () => {
  it('opens at the latest schema with every label, edit, run and prediction kept', () => {
    const db = wb.ctx.requireWorkspace().db
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(db.prepare(COUNTS).get()).toEqual(before)
    expect(before).toMatchObject({ images: 326, labelEvents: 8, runs: 1, predictions: 9454, statuses: '1:finished' })
  })

  it('gains the video tables (0010) with every old image a still image', () => {
    const db = wb.ctx.requireWorkspace().db
    expect(db.prepare('SELECT count(*) FROM images WHERE video_id IS NULL AND frame IS NULL').pluck().get()).toBe(326)
    for (const table of ['videos', 'au_events', 'coded_segments'])
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0)
  })

  it('makes every image of 0.1.0 a whole-image item, with no face history (migration 0006)', () => {
    const db = wb.ctx.requireWorkspace().db
    const items = db
      .prepare(
        `SELECT face_origin, count(*) AS n, sum(source_path IS NULL) AS ownFile, sum(crop_sha256 IS NULL) AS noCrop,
         sum(face_index IS NULL) AS noIndex, sum(not_a_face) AS notAFace FROM images GROUP BY face_origin`,
      )
      .all()
    expect(items).toEqual([{ face_origin: 'whole', n: 326, ownFile: 326, noCrop: 326, noIndex: 326, notAFace: 0 }])
    expect(db.prepare('SELECT count(*) AS n FROM face_edits').get()).toEqual({ n: 0 })
  })

  it('stores the paths inside the workspace relative to it, and remembers where the run was written', () => {
    const db = wb.ctx.requireWorkspace().db
    expect(db.prepare('SELECT root, options FROM datasets ORDER BY id').all()).toEqual([
      { root: 'demo/demo-emotion', options: '{"source":"demo/demo-emotion/labels.csv","reader":{}}' },
      { root: 'demo/demo-au', options: '{"source":"demo/demo-au/labels.csv","reader":{}}' },
      { root: 'demo/demo-compound', options: '{"source":"demo/demo-compound/labels.csv","reader":{}}' },
    ])
    expect(
      db.prepare('SELECT snapshot_path, best_checkpoint, last_checkpoint, snapshot_workspace FROM runs').get(),
    ).toEqual({
      snapshot_path: 'runs/1/snapshot',
      best_checkpoint: 'runs/1/best.ckpt',
      last_checkpoint: 'runs/1/last.ckpt',
      snapshot_workspace: '/tmp/fx/ws',
    })
    expect(db.prepare('SELECT path FROM run_checkpoints ORDER BY path').pluck().all()).toEqual([
      'runs/1/best.ckpt',
      'runs/1/last.ckpt',
    ])
    expect(db.prepare('SELECT checkpoint FROM prediction_sets').pluck().all()).toEqual(['runs/1/best.ckpt'])
  })

  it('predicts with run 1 where it is now, once its demo images are there again, and the run stays finished', async () => {
    await generateDemo({ outDir: join(ws, 'demo'), seed: 1, size: 'small' })
    const image = (await call('images.page', { limit: 1 })).items[0]
    // The demo's pictures are smaller than a thumbnail: each is shown as itself.
    expect(await wb.media(image.id, 'thumb')).toEqual(await wb.media(image.id, 'full'))

    const stored = () =>
      wb.ctx
        .requireWorkspace()
        .db.prepare(
          'SELECT probability FROM predictions WHERE run_id = 1 AND image_id IN (1, 200, 326) ORDER BY image_id, class_id',
        )
        .pluck()
        .all() as number[]
    const predictedBy010 = stored()
    await call('runs.predict', { id: 1 })
    const job = wb.ctx.trainers.get(1)!.recorder
    const run = await waitForTrainer(wb.ctx, 1)
    expect(job.failure).toBeNull()
    expect(job.predictedImages).toBe(326)
    expect(run).toMatchObject({ status: 'finished', step: 10, hasPredictions: true })
    expect(
      wb.ctx.requireWorkspace().db.prepare('SELECT count(*) FROM predictions WHERE run_id = 1').pluck().get(),
    ).toBe(9454)
    // The same checkpoint on the same faces: what version 0.1.0 predicted, again.
    stored().forEach((p, i) => expect(p).toBeCloseTo(predictedBy010[i], 4))
    expect(readdirSync(join(ws, 'runs', '1')).filter((f) => f.startsWith('predict-'))).toEqual([])

    const e = await call('runs.evaluate', { id: 1, split: 'test' })
    expect(e.coverage).toEqual({
      datasets: ['demo-emotion', 'demo-au', 'demo-compound'],
      images: 78,
      scored: 78,
      unpredicted: 0,
    })
    expect(e.checkpoint).toBe(join(ws, 'runs', '1', 'best.ckpt'))
    expect(e.hiddenTruth?.images).toBeGreaterThan(0)
  })

  it('through the CLI: evaluate says what it scored; a failed predict says why, exits 1 and leaves the run finished', () => {
    wb.close()
    const affect = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args, '--workspace', ws], {
        encoding: 'utf8',
        env: { ...process.env, AFFECT_CONFIG_DIR: dir },
      })
    const evaluated = affect('evaluate', '--run', '1')
    expect(evaluated.stderr).toBe('')
    expect(evaluated.stdout).toContain('Scored all 78 test images.')

    renameSync(join(ws, 'runs', '1', 'best.ckpt'), join(ws, 'runs', '1', 'best.ckpt.away'))
    const predicted = affect('predict', '--run', '1', '--datasets', 'demo-au', '--json')
    renameSync(join(ws, 'runs', '1', 'best.ckpt.away'), join(ws, 'runs', '1', 'best.ckpt'))
    expect(predicted.status).toBe(1)
    const last = JSON.parse(predicted.stdout.trim().split('\n').at(-1)!)
    expect(last).toMatchObject({
      runId: 1,
      status: 'finished',
      prediction: { ok: false, images: 0, failure: expect.stringContaining('best.ckpt') },
    })
    const db = new Database(join(ws, 'catalogue.sqlite'), { readonly: true })
    expect(
      db
        .prepare(
          'SELECT status, (SELECT count(*) FROM predictions WHERE run_id = 1) AS predictions FROM runs WHERE id = 1',
        )
        .get(),
    ).toEqual({ status: 'finished', predictions: 9454 })
    db.close()
    expect(readdirSync(join(ws, 'runs', '1')).filter((f) => f.startsWith('predict-'))).toEqual([])
  })
})
