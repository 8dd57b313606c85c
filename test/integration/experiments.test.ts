import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExperimentProtocolInput, MethodArgs, MethodName } from '../../src/shared/contract'
import { experimentEnded } from '../../src/main/experiments/experiments-service'
import { planJobs } from '../../src/main/experiments/plan'
import { jobConfig } from '../../src/main/experiments/runner'
import { buildSnapshot } from '../../src/main/runs/build-snapshot'
import { ExperimentProtocolSchema } from '../../src/shared/contract/experiments'
import { testWorkbench } from '../helpers/workbench'
import { callOk } from '../helpers/call'

// An experiment through the contract on the small demo with tiny runs: classical multi-task and
// SJMT on two seeds (four runs), stopped after its first run and resumed, then scored. (The single
// networks' two-run scoring is checked by the command's run in docs/experiments.md.)

let wb: ReturnType<typeof testWorkbench>
const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callOk(wb, method, args)

const protocol: ExperimentProtocolInput = {
  methods: ['multitask', 'sjmt'],
  seeds: 2,
  budgets: [6],
  learningRates: [0.4],
  batchSize: 16,
  inputSize: 16,
  backend: 'wasm',
}

beforeAll(async () => {
  wb = testWorkbench()
  await call('demo.create', { path: wb.ctx.requireWorkspace().path, size: 'small', seed: 3 })
}, 300_000)
afterAll(() => wb.cleanup())

describe('experiments', () => {
  let id = 0
  let firstRun = 0

  it('refuses to start without the demo datasets a method trains on', async () => {
    const empty = testWorkbench()
    try {
      const r = await empty.router.call('experiments.start', { protocol })
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error.message).toMatch(/no demo-emotion, demo-au/)
    } finally {
      empty.cleanup()
    }
  })

  it('stops after the run it is training, keeping it', async () => {
    const stoppedAfterFirst = new Promise<number>((resolve) => {
      const off = wb.ctx.events.on('experiment.run', (r) => {
        off()
        void call('experiments.stop', { id: r.experimentId }).then(() => resolve(r.runId))
      })
    })
    const started = await call('experiments.start', { protocol })
    id = started.id
    expect(started).toMatchObject({ status: 'running', done: 0, total: 4 })
    firstRun = await stoppedAfterFirst
    const stopped = await experimentEnded(wb.ctx, id)
    expect(stopped.status).toBe('stopped')
    expect(stopped.done).toBeGreaterThanOrEqual(1)
    expect(stopped.done).toBeLessThan(4)
  }, 900_000)

  it('resumes where it stopped: finished runs are not trained again', async () => {
    await call('experiments.resume', { id })
    const ended = await experimentEnded(wb.ctx, id)
    expect(ended).toMatchObject({ status: 'finished', done: 4, total: 4, secondsLeft: null })
    const detail = await call('experiments.get', { id })
    expect(detail.jobs[0]).toMatchObject({ runId: firstRun, status: 'finished' })
    expect(detail.jobs.every((j) => j.status === 'finished')).toBe(true)
    const runsAfter = await call('runs.list', {})
    expect(runsAfter.length).toBe(4)
  }, 900_000)

  it('scores each method on every seed: means, intervals and the paired difference SJMT - multi-task', async () => {
    const d = await call('experiments.get', { id })
    expect(d.rows.map((r) => r.method)).toEqual(['multitask', 'sjmt'])
    for (const row of d.rows) {
      for (const metric of ['emotionAccuracy', 'auF1', 'auF1EmotionOnly', 'fig2Error', 'fig2Rank'] as const) {
        const s = row.metrics[metric]!
        expect(s.values).toHaveLength(2)
        expect(s.ci95[0]).toBeLessThanOrEqual(s.mean)
        expect(s.ci95[1]).toBeGreaterThanOrEqual(s.mean)
      }
    }
    expect(d.rows[0].learningRates).toEqual({ multitask: 0.4 })
    const diff = d.differences.find((x) => x.metric === 'emotionAccuracy')!
    expect(diff).toMatchObject({ a: 'sjmt', b: 'multitask', budget: 6 })
    const [multitask, sjmt] = d.rows.map((r) => r.metrics.emotionAccuracy!.values)
    expect(diff.values).toEqual(sjmt.map((v, i) => v - multitask[i]))
  })

  it('refuses to resume a finished experiment', async () => {
    const r = await wb.router.call('experiments.resume', { id })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ code: 'conflict' })
  })
})

describe('Table 4 few-shot training set', () => {
  it('freezes at most N demo-compound faces per class, the same faces for both networks of a seed, all val and test', () => {
    const db = wb.ctx.requireWorkspace().db
    const p = ExperimentProtocolSchema.parse({
      methods: ['sjmt'],
      compound: true,
      seeds: 1,
      learningRates: [0.4],
      compoundPerClass: 2,
    })
    const [, single, sjmt] = planJobs(p, new Map()).jobs.map((j) => buildSnapshot(db, jobConfig(p, j)))
    const all = buildSnapshot(db, { datasets: ['demo-compound'] })
    const compoundFaces = (s: typeof all, split: string) =>
      s.images.filter((i) => s.datasets[i.datasetIndex].name === 'demo-compound' && i.split === split).map((i) => i.id)
    const classes = all.classes.filter((c) => c.kind === 'compound').length
    expect(compoundFaces(all, 'train').length).toBeGreaterThan(2 * classes)
    expect(compoundFaces(single, 'train')).toHaveLength(2 * classes)
    expect(compoundFaces(sjmt, 'train')).toEqual(compoundFaces(single, 'train'))
    for (const split of ['val', 'test']) expect(compoundFaces(single, split)).toEqual(compoundFaces(all, split))
    // SJMT's emotion and AU faces are all kept.
    expect(sjmt.images.length - compoundFaces(sjmt, 'train').length).toBe(
      buildSnapshot(db, { datasets: ['demo-emotion', 'demo-au', 'demo-compound'] }).images.length -
        compoundFaces(all, 'train').length,
    )
  })
})
