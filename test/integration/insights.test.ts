import type { Database } from 'better-sqlite3'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import { EMOTION_CODES, PAPER_AUS, auCode } from '../../src/shared/labels'
import { classIndex } from '../../src/main/catalogue/classes'
import { fig2Score } from '../../src/main/insights/fig2-score'
import { RunRecorder } from '../../src/main/runs/run-recorder'
import { runMessagesFile } from '../../src/main/runs/run-messages'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { testWorkbench } from '../helpers/workbench'

// The Insights view's drill-down on a catalogue whose every number is known: four emotion-only
// faces with a generator truth.json (like the demo's) and one AU-labelled face, and a run whose
// predictions are written as the trainer would.

const EMOTIONS = EMOTION_CODES.filter((c) => c !== 'contempt')
const AUS = PAPER_AUS.map(auCode)

let wb: ReturnType<typeof testWorkbench>
let runId: number

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}

const emotionLabels = (emotion: string) =>
  Object.fromEntries(EMOTIONS.map((e) => [e, e === emotion ? 1 : 0])) as Record<string, 0 | 1>

/** Probabilities of every emotion and AU: `emotion` wins with `p`, the given AUs as set, the others 0.1. */
const predicted = (emotion: string, p: number, aus: Record<string, number> = {}) => ({
  ...Object.fromEntries([...EMOTIONS, ...AUS].map((c) => [c, 0.1])),
  [emotion]: p,
  ...aus,
})

function storeRun(db: Database, byImage: Map<number, Record<string, number>>): number {
  const classes = classIndex(db)
  const id = Number(
    db
      .prepare(
        `INSERT INTO runs (name, method, network, config, datasets, status, snapshot_hash, snapshot_path, created_at) VALUES ('fixture', 'sjmt', 'resnet-8', '{}', '[]', 'finished', 'x', '', 0)`,
      )
      .run().lastInsertRowid,
  )
  const insert = db.prepare('INSERT INTO predictions (run_id, image_id, class_id, probability) VALUES (?, ?, ?, ?)')
  for (const [imageId, probs] of byImage)
    for (const [code, p] of Object.entries(probs)) insert.run(id, imageId, classes.id(code), p)
  db.prepare("INSERT INTO prediction_sets (run_id, checkpoint, images, created_at) VALUES (?, 'best.ckpt', ?, 0)").run(
    id,
    byImage.size,
  )
  return id
}

beforeAll(() => {
  wb = testWorkbench()
  const root = join(wb.dir, 'data')
  mkdirSync(join(root, 'faces'), { recursive: true })
  // What the generator drew on the emotion-only faces (AU number -> intensity); never in the catalogue.
  writeFileSync(
    join(root, 'faces', 'truth.json'),
    JSON.stringify({
      images: {
        'f1.png': { aus: { 6: 2, 12: 3 } },
        'f2.png': { aus: { 12: 1 } },
        'f3.png': { aus: {} },
        'f4.png': { aus: { 4: 2 } },
      },
    }),
  )
  const db = wb.ctx.requireWorkspace().db
  const [f1, f2, f3, f4, a1] = seedCatalogue(
    db,
    [
      {
        name: 'faces',
        classCodes: EMOTIONS,
        images: ['happy', 'happy', 'happy', 'sad'].map((e, i) => ({
          path: `f${i + 1}.png`,
          split: 'test' as const,
          labels: emotionLabels(e),
        })),
      },
      { name: 'aus', classCodes: AUS, images: [{ path: 'a1.png', split: 'test', labels: { AU12: 1, AU4: 0 } }] },
    ],
    root,
  )
  runId = storeRun(
    db,
    new Map([
      [f1, predicted('happy', 0.9, { AU12: 0.8, AU6: 0.7 })],
      [f2, predicted('happy', 0.8, { AU12: 0.6 })],
      [f3, predicted('sad', 0.7, { AU4: 0.3 })],
      [f4, predicted('sad', 0.9, { AU4: 0.9 })],
      [a1, predicted('happy', 0.5, { AU12: 0.99 })],
    ]),
  )
})
afterAll(() => wb.cleanup())

describe('the images behind a heat-map cell', () => {
  it("lists the images of a confusion cell, most confident first, with the run's prediction", async () => {
    const evaluation = await call('runs.evaluate', { id: runId, split: 'test' })
    const happy = evaluation.confusion.labels.indexOf('happy')
    const sad = evaluation.confusion.labels.indexOf('sad')
    expect(evaluation.confusion.matrix[happy][sad]).toBe(1)

    const wrong = await call('insights.cellImages', {
      runId,
      cell: { kind: 'confusion', trueCode: 'happy', predictedCode: 'sad' },
    })
    expect(wrong.total).toBe(evaluation.confusion.matrix[happy][sad])
    expect(wrong.images.map((i) => i.path)).toEqual(['f3.png'])
    expect(wrong.images[0].predicted).toEqual({ code: 'sad', p: expect.closeTo(0.7, 5) })
    expect(wrong.images[0].labels).toMatchObject({ happy: 1, sad: 0 })

    const right = await call('insights.cellImages', {
      runId,
      cell: { kind: 'confusion', trueCode: 'happy', predictedCode: 'happy' },
    })
    expect(right.images.map((i) => i.path)).toEqual(['f1.png', 'f2.png'])
  })

  it("lists the emotion-only images of a Fig. 2 cell by that AU's probability, with known labels and the true AUs", async () => {
    const evaluation = await call('runs.evaluate', { id: runId, split: 'test' })
    const cell = await call('insights.cellImages', {
      runId,
      cell: { kind: 'au-by-emotion', emotion: 'happy', au: 'AU12' },
    })
    // The AU-labelled face predicted happy is not emotion-only: it is not behind the cell.
    expect(cell.total).toBe(evaluation.auByEmotion.counts[evaluation.auByEmotion.emotions.indexOf('happy')])
    expect(cell.images.map((i) => [i.path, i.probabilities.AU12])).toEqual([
      ['f1.png', expect.closeTo(0.8, 5)],
      ['f2.png', expect.closeTo(0.6, 5)],
    ])
    expect(cell.aus).toEqual(AUS)
    const f1 = cell.images[0]
    expect(f1.labels.AU12).toBeUndefined() // unknown, not absent
    expect(f1.truthAus).toMatchObject({ AU6: 1, AU12: 1, AU4: 0 })
  })

  it('pages through a cell', async () => {
    const page = await call('insights.cellImages', {
      runId,
      cell: { kind: 'au-by-emotion', emotion: 'sad', au: 'AU4' },
      offset: 1,
      limit: 1,
    })
    expect(page).toMatchObject({ total: 2, offset: 1 })
    expect(page.images.map((i) => i.path)).toEqual(['f3.png'])
  })

  it('names the field when a cell asks for a class the run does not predict', async () => {
    const result = await wb.router.call('insights.cellImages', {
      runId,
      cell: { kind: 'au-by-emotion', emotion: 'joy', au: 'AU12' },
    })
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', details: { field: 'cell.emotion' } },
    })
  })
})

describe("Fig. 2 against the generator's truth", () => {
  it('gives the share of the faces predicted as each emotion that truly show each AU', async () => {
    const truth = await call('insights.truthByEmotion', { runId, split: 'test' })
    expect(truth).not.toBeNull()
    const at = (emotion: string, au: string) => truth!.matrix[truth!.emotions.indexOf(emotion)][truth!.aus.indexOf(au)]
    expect(truth!.images).toBe(4)
    expect(at('happy', 'AU12')).toBe(1)
    expect(at('happy', 'AU6')).toBe(0.5)
    expect(at('sad', 'AU4')).toBe(0.5)
    expect(at('angry', 'AU4')).toBeNull()
  })

  it('is null when the scope holds no emotion-only face with a truth', async () => {
    expect(await call('insights.truthByEmotion', { runId, split: 'test', datasets: ['aus'] })).toBeNull()
  })
})

describe('the Fig. 2 score', () => {
  // Happy (f1, f2): predicted AU6 0.4, AU12 0.7, the other 9 AUs 0.1; truly AU6 0.5, AU12 1, others 0.
  // Sad (f3, f4): predicted AU4 0.6, the other 10 0.1; truly AU4 0.5, others 0. Absolute errors:
  // 0.1 + 0.3 + 9 x 0.1 + 0.1 + 10 x 0.1 = 2.4 over 22 cells; the other emotions were never predicted.
  it('scores the AUs by predicted emotion against the hidden truth: mean absolute error and rank correlation', async () => {
    const score = await call('insights.fig2Score', { runId, split: 'test' })
    expect(score).toMatchObject({ reference: 'hidden truth', images: 4, cells: 22, emotions: ['happy', 'sad'] })
    expect(score!.meanAbsoluteError.value).toBeCloseTo(2.4 / 22, 6)
    // Ranks with ties averaged (19 cells tie at 0.1 and at 0), by hand: 0.99921.
    expect(score!.spearman.value).toBeCloseTo(0.9992073, 5)
    expect(score!.emotionsNeverPredicted).toContain('angry')
  })

  it('is null where no emotion-only face has a prediction', async () => {
    expect(await call('insights.fig2Score', { runId, split: 'test', datasets: ['aus'] })).toBeNull()
  })

  it('takes the emotion from one run and the AUs from another for the single networks', () => {
    const db = wb.ctx.requireWorkspace().db
    const only = (codes: string[]) => (probs: Record<string, number>) =>
      Object.fromEntries(Object.entries(probs).filter(([c]) => codes.includes(c)))
    const joint = new Map<number, Record<string, number>>(
      db
        .prepare('SELECT DISTINCT image_id FROM predictions WHERE run_id = ?')
        .pluck()
        .all(runId)
        .map((id) => [id as number, {}]),
    )
    for (const row of db
      .prepare(
        'SELECT image_id, code, probability FROM predictions p JOIN classes c ON c.id = p.class_id WHERE run_id = ?',
      )
      .all(runId) as { image_id: number; code: string; probability: number }[])
      joint.get(row.image_id)![row.code] = row.probability
    const emotionRun = storeRun(db, new Map([...joint].map(([id, p]) => [id, only(EMOTIONS)(p)])))
    const auRun = storeRun(db, new Map([...joint].map(([id, p]) => [id, only(AUS)(p)])))
    const score = fig2Score(db, { emotion: emotionRun, au: auRun }, 'test', ['faces'])
    expect(score).toMatchObject({ reference: 'hidden truth', images: 4, cells: 22 })
    expect(score.meanAbsoluteError.value).toBeCloseTo(2.4 / 22, 6)
  })
})

describe('run messages and best metrics', () => {
  it("keeps the trainer's messages with the run, oldest first, and publishes them live", async () => {
    const db = wb.ctx.requireWorkspace().db
    const live: string[] = []
    const off = wb.ctx.events.subscribe(
      (event, payload) => event === 'run.log' && live.push((payload as { message: string }).message),
    )
    const recorder = new RunRecorder(
      db,
      wb.ctx.events,
      runId,
      runMessagesFile(wb.ctx.requireWorkspace().runsDir, runId),
    )
    recorder.record({ type: 'log', level: 'info', message: 'decoded 5 of 5 images' })
    recorder.record({ type: 'failed', reason: 'The trainer ran out of memory. Try a smaller batch size.' })
    off()
    const messages = await call('runs.messages', { id: runId })
    expect(messages.map((m) => [m.level, m.message])).toEqual([
      ['info', 'decoded 5 of 5 images'],
      ['error', 'The trainer ran out of memory. Try a smaller batch size.'],
    ])
    expect(live).toEqual(messages.map((m) => m.message))
    expect((await call('runs.get', { id: runId })).statusReason).toMatch(/out of memory/)
  })

  it('gives the best value of each validation metric: lowest loss, highest accuracy', async () => {
    const db = wb.ctx.requireWorkspace().db
    const insert = db.prepare('INSERT INTO run_metrics (run_id, split, name, step, value) VALUES (?, ?, ?, ?, ?)')
    ;[
      [10, 0.9, 0.2],
      [20, 0.5, 0.4],
      [30, 0.7, 0.3],
    ].forEach(([step, loss, acc]) => {
      insert.run(runId, 'val', 'loss', step, loss)
      insert.run(runId, 'val', 'emotionAccuracy', step, acc)
      insert.run(runId, 'train', 'loss', step, 0.01)
    })
    const bests = await call('runs.bestMetrics', {})
    expect(bests.find((b) => b.runId === runId)?.best).toEqual({
      loss: { value: 0.5, step: 20 },
      emotionAccuracy: { value: 0.4, step: 20 },
    })
  })
})
