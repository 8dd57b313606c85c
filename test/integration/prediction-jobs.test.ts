import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName } from '../../src/shared/contract'
import type { TrainerMessage } from '../../src/shared/trainer-protocol'
import { RunRecorder } from '../../src/main/runs/run-recorder'
import { runMessagesFile } from '../../src/main/runs/run-messages'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { storePredictions } from '../helpers/predictions'
import { testWorkbench } from '../helpers/workbench'
import { callOk } from '../helpers/call'

// What main does with what a prediction job reports, without a trainer process: the rows it keeps,
// the run it leaves alone, the words it says. (runs.test.ts drives real trainer processes.)

let wb: ReturnType<typeof testWorkbench>
let ids: number[]
let runId: number

const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callOk(wb, method, args)

const db = () => wb.ctx.requireWorkspace().db
const predictedImages = () =>
  db()
    .prepare('SELECT image_id FROM predictions WHERE run_id = ? GROUP BY image_id ORDER BY image_id')
    .pluck()
    .all(runId) as number[]
const recorder = () =>
  new RunRecorder(db(), wb.ctx.events, runId, runMessagesFile(wb.ctx.requireWorkspace().runsDir, runId), 'predict')
const started: TrainerMessage = {
  type: 'started',
  backend: 'wasm',
  backends: [],
  totalSteps: 40,
  step: 40,
  trainImages: 1,
  valImages: 0,
}
const runState = () =>
  db()
    .prepare(
      'SELECT status, status_reason, step, total_steps, train_images, val_images, backend FROM runs WHERE id = ?',
    )
    .get(runId)

beforeAll(() => {
  wb = testWorkbench()
  // Dataset "seen" (the run's own, 4 images: 2 test) and "other" (3 images: 2 test).
  ids = seedCatalogue(db(), [
    {
      name: 'seen',
      classCodes: ['happy', 'sad'],
      images: [
        { path: 'a.png', split: 'test', labels: { happy: 1, sad: 0 } },
        { path: 'b.png', split: 'test', labels: { happy: 0, sad: 1 } },
        { path: 'c.png' },
        { path: 'd.png', split: 'val' },
      ],
    },
    {
      name: 'other',
      classCodes: ['happy', 'sad'],
      images: [
        { path: 'e.png', split: 'test', labels: { happy: 1, sad: 0 } },
        { path: 'f.png', split: 'test' },
        { path: 'g.png' },
      ],
    },
  ])
  runId = storePredictions(db(), new Map(ids.slice(0, 4).map((id) => [id, { happy: 0.9, sad: 0.1 }])))
  db()
    .prepare(
      "UPDATE runs SET datasets = '[\"seen\"]', step = 40, total_steps = 40, train_images = 1, val_images = 1, backend = 'cpu' WHERE id = ?",
    )
    .run(runId)
})
afterAll(() => wb.cleanup())

describe('a prediction job', () => {
  it("adds the images it predicts to the run's predictions and keeps every other image's", () => {
    const other = ids.slice(4)
    const job = recorder()
    job.record(started)
    job.record({
      type: 'predictions',
      checkpoint: '/x/best.ckpt',
      classCodes: ['happy', 'sad'],
      imageIds: other,
      probabilities: [0.2, 0.8, 0.3, 0.7, 0.4, 0.6],
      done: 3,
      total: 3,
    })
    job.record({ type: 'finished', step: 40, checkpoint: '/x/best.ckpt', bestScore: null, seconds: 1 })
    expect(predictedImages()).toEqual(ids)
    expect(
      (db().prepare('SELECT images FROM prediction_sets WHERE run_id = ?').get(runId) as { images: number }).images,
    ).toBe(7)
  })

  it("replaces only the rows of the images it predicts again, all of each image's classes", () => {
    const job = recorder()
    job.record(started)
    // A model that predicts only "happy" now: the image's old "sad" row must go too.
    job.record({
      type: 'predictions',
      checkpoint: '/x/best.ckpt',
      classCodes: ['happy', 'sad'],
      imageIds: [ids[0]],
      probabilities: [0.3, Number.NaN],
      done: 1,
      total: 1,
    })
    const rows = db()
      .prepare('SELECT image_id, probability FROM predictions WHERE run_id = ? ORDER BY image_id, class_id')
      .all(runId) as { image_id: number; probability: number }[]
    expect(rows.filter((r) => r.image_id === ids[0]).map((r) => r.probability)).toEqual([expect.closeTo(0.3, 6)])
    expect(rows.filter((r) => r.image_id === ids[1]).length).toBe(2)
    expect(predictedImages()).toEqual(ids)
    expect(
      (db().prepare('SELECT images FROM prediction_sets WHERE run_id = ?').get(runId) as { images: number }).images,
    ).toBe(7)
  })

  it("never changes the run's status, step or counts, and says in the run's messages why it failed", async () => {
    const before = runState()
    const job = recorder()
    job.record(started)
    job.record({
      type: 'failed',
      reason: 'a file the trainer needs is missing: /ws/runs/1/best.ckpt',
      detail: 'Error: ENOENT\n    at open (node:fs)',
    })
    expect(runState()).toEqual(before)
    expect(job.failure).toBe('a file the trainer needs is missing: /ws/runs/1/best.ckpt.')
    const last = (await call('runs.messages', { id: runId })).at(-1)!
    expect(last).toMatchObject({
      level: 'error',
      message:
        'The prediction failed: a file the trainer needs is missing: /ws/runs/1/best.ckpt. The run stays finished; its earlier predictions are kept.',
    })
    expect(last.message).not.toMatch(/ at /)
  })

  it('leaves the run as it was when its trainer dies without a word', () => {
    const before = runState()
    const job = recorder()
    job.record(started)
    job.endWithoutReport(
      'The trainer process was killed (SIGKILL), possibly by the system for using too much memory, or by a user.',
    )
    expect(runState()).toEqual(before)
    expect(job.isEnded).toBe(true)
    expect(job.failure).toMatch(/killed/)
  })
})

describe('an evaluation', () => {
  it('says how many images of the split it scored and how many have no prediction from the run', async () => {
    db().prepare('DELETE FROM predictions WHERE run_id = ? AND image_id = ?').run(runId, ids[5])
    const e = await call('runs.evaluate', { id: runId, split: 'test' })
    // The run's own dataset and the other one it predicted: 4 test images, 3 with a prediction.
    expect(e.coverage).toEqual({ datasets: ['seen', 'other'], images: 4, scored: 3, unpredicted: 1 })
    expect(e.rows).toBe(3)
    const seen = await call('runs.evaluate', { id: runId, split: 'test', datasets: ['seen'] })
    expect(seen.coverage).toEqual({ datasets: ['seen'], images: 2, scored: 2, unpredicted: 0 })
  })

  it('refuses a dataset name that is not in the workspace, naming the field', async () => {
    const result = await wb.router.call('runs.evaluate', { id: runId, split: 'test', datasets: ['sfew'] })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_arguments', details: { field: 'datasets' } } })
    if (!result.ok) expect(result.error.message).toMatch(/no dataset named "sfew"/)
  })
})
