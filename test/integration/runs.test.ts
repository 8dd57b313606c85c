import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName, MethodResult, RunSummary } from '../../src/shared/contract'
import { exportPredictions } from '../../src/main/export/predictions-csv'
import { waitForTrainer } from '../../src/main/training/runs-service'
import { RunConfigSchema, type RunConfigInput } from '../../src/shared/run-config'
import { testWorkbench } from '../helpers/workbench'

let wb: ReturnType<typeof testWorkbench>

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}

// Small enough for a few seconds per run on the wasm backend.
const tiny = (extra: RunConfigInput = {}) => RunConfigSchema.parse({ network: 'resnet-8', inputSize: 16, batchSize: 16, steps: 12, validateEvery: 6, checkpointEvery: 6, backend: 'wasm', ...extra })

function waitFor(predicate: (run: RunSummary) => boolean, runId: number): Promise<void> {
  return new Promise((resolve) => {
    const off = wb.ctx.events.subscribe((event, payload) => {
      if (event === 'run.progress' && (payload as { runId: number }).runId === runId) {
        off()
        resolve()
      }
      if (event === 'run.updated' && predicate((payload as { run: RunSummary }).run)) {
        off()
        resolve()
      }
    })
  })
}

beforeAll(async () => {
  wb = testWorkbench()
  await call('demo.create', { path: wb.ctx.requireWorkspace().path, size: 'small', seed: 3 })
})
afterAll(() => wb.cleanup())

describe('training runs through the contract', () => {
  let finished: RunSummary

  it('trains SJMT in a trainer process, persisting progress, metrics, checkpoints and predictions', async () => {
    const events: string[] = []
    const off = wb.ctx.events.subscribe((event) => events.push(event))
    const run = await call('runs.start', { config: tiny(), name: 'tiny sjmt' })
    expect(run).toMatchObject({ status: 'starting', method: 'sjmt', datasets: ['demo-emotion', 'demo-au', 'demo-compound'] })
    finished = await waitForTrainer(wb.ctx, run.id)
    off()
    expect(finished).toMatchObject({ status: 'finished', step: 12, backend: 'wasm', hasPredictions: true })
    expect(events).toContain('run.progress')
    expect(events).toContain('run.metrics')
    const detail = await call('runs.get', { id: run.id })
    expect(detail.checkpoints.some((c) => c.best)).toBe(true)
    expect(detail.metrics.find((m) => m.split === 'val' && m.name === 'emotionAccuracy')?.points.map((p) => p[0])).toEqual([6, 12])
    expect(detail.metrics.find((m) => m.split === 'train' && m.name === 'loss')!.points.length).toBeGreaterThan(0)
    expect(detail.backends.map((b) => b.backend).sort()).toEqual(['cpu', 'gpu', 'native', 'wasm'])
  })

  it('evaluates the stored predictions, scoring AUs on emotion-only images against the hidden truth', async () => {
    const e = await call('runs.evaluate', { id: finished.id, split: 'test' })
    expect(e.emotionAccuracy).not.toBeNull()
    expect(e.confusion.labels).toContain('happy')
    expect(e.auByEmotion.aus).toContain('AU12')
    expect(e.perClass.find((c) => c.code === 'AU12')?.baseRate).not.toBeNull()
    expect(e.hiddenTruth?.images).toBeGreaterThan(0)
    expect(e.hiddenTruth?.perAu.map((a) => a.code)).toContain('AU12')
  })

  it('exports predictions as a CSV any reader takes with no options, unknown labels left empty', async () => {
    const file = join(wb.dir, 'predictions.csv')
    const result = await exportPredictions(wb.ctx.requireWorkspace().db, finished.id, file)
    const rows = parse(readFileSync(file), { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(wb.ctx.requireWorkspace().info().images)
    expect(result.columns.slice(0, 6)).toEqual(['image_id', 'path', 'dataset', 'split', 'predicted_emotion', 'predicted_emotion_p'])
    expect(result.columns).toContain('AU12_c')
    expect(new Set(result.columns).size).toBe(result.columns.length)
    const emotionOnly = rows.find((r) => r.dataset === 'demo-emotion')!
    expect(emotionOnly.AU12_label).toBe('') // unknown, not absent
    expect(['0', '1']).toContain(emotionOnly.AU12_c)
    expect(Number(emotionOnly.AU12_p)).toBeGreaterThanOrEqual(0)
    // pandas reads it with no options: numbers as numbers, unknown labels as NaN.
    const pandas = spawnSync('/usr/bin/python3', ['-c', `
import sys, pandas as pd
d = pd.read_csv(sys.argv[1])
emotion_only = d[d.dataset == 'demo-emotion']
print(d.shape[0], d.shape[1], d['AU12_p'].dtype, int(emotion_only['AU12_label'].isna().all()), int(d['happy_label'].notna().any()))
`, file], { encoding: 'utf8' })
    expect(pandas.stderr).toBe('')
    expect(pandas.stdout.trim()).toBe(`${rows.length} ${result.columns.length} float64 1 1`)
    const sidecar = JSON.parse(readFileSync(result.sidecar, 'utf8'))
    expect(sidecar).toMatchObject({ run: { id: finished.id }, thresholds: { auPresence: 0.5 } })
    expect(sidecar.classes.find((c: { code: string }) => c.code === 'AU12').name).toBe('Lip Corner Puller')
  })

  it('marks a run whose trainer is killed as failed, with the reason in words, and resumes it', async () => {
    const run = await call('runs.start', { config: tiny({ steps: 400, validateEvery: 200, checkpointEvery: 5 }) })
    await waitFor(() => false, run.id) // first progress
    wb.ctx.trainers.get(run.id)!.process.kill()
    const failed = await waitForTrainer(wb.ctx, run.id)
    expect(failed.status).toBe('failed')
    expect(failed.statusReason).toMatch(/killed/)
    const resumed = await call('runs.resume', { id: run.id })
    expect(resumed.status).toBe('starting')
    await waitFor(() => false, run.id)
    await call('runs.stop', { id: run.id })
    const stopped = await waitForTrainer(wb.ctx, run.id)
    expect(stopped.status).toBe('stopped')
    expect(stopped.step).toBeGreaterThan(0)
  })

  it('lists runs newest first and refuses to resume a finished one', async () => {
    const runs = await call('runs.list', {})
    expect(runs.map((r) => r.id)).toEqual([...runs.map((r) => r.id)].sort((a, b) => b - a))
    const refused = await wb.router.call('runs.resume', { id: finished.id })
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } })
  })
})

describe('the demo workspace', () => {
  it('keeps the AUs of the emotion-only dataset out of the catalogue (they stay in the hidden truth)', async () => {
    const datasets = await call('datasets.list', {})
    const emotion = datasets.find((d) => d.name === 'demo-emotion')!
    expect(emotion.classCodes).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'])
    const auLabelled = await call('images.page', { datasetIds: [emotion.id], classes: [{ code: 'AU12', state: 'unknown' }] })
    expect(auLabelled.total).toBe(emotion.images)
    const matrix = await call('labels.availability', {})
    const labelled = Object.keys(matrix.datasets.find((d) => d.name === 'demo-emotion')!.labels)
    expect(labelled.some((code) => code.startsWith('AU'))).toBe(false)
  })
})
