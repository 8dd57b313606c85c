import { describe, expect, it } from 'vitest'
import { ExperimentProtocolSchema } from '../../shared/contract/experiments'
import { DEFAULT_LANDMARK_WEIGHT } from '../../shared/run-config'
import { jobKey, learningRateChoice, planJobs, seedJob } from './plan'
import { resultMethods, ROLES, rolesOf, stepsFor } from './roles'
import { jobConfig } from './runner'
import { pinnedProtocol, protocolOf, type ExperimentRow, type ExperimentRunRow } from './store'

const protocol = ExperimentProtocolSchema.parse({
  methods: ['single', 'sjmt'],
  seeds: 3,
  budgets: [100],
  learningRates: [0.1, 0.4],
})

const done = (role: string, seed: number, learningRate: number, search: boolean, valScore: number, runId: number) => {
  const key = jobKey({ role: role as 'au', budget: 100, seed, learningRate, search })
  const row: ExperimentRunRow = {
    job_key: key,
    role,
    budget: 100,
    seed,
    learning_rate: learningRate,
    search: search ? 1 : 0,
    run_id: runId,
    val_score: valScore,
  }
  return [key, row] as const
}

describe('planJobs', () => {
  it('first tries every learning rate on the first seed, for each network', () => {
    const { jobs, total } = planJobs(protocol, new Map())
    expect(jobs.map((j) => `${j.role} ${j.seed} ${j.learningRate}`)).toEqual([
      'emotion 1 0.1',
      'emotion 1 0.4',
      'au 1 0.1',
      'au 1 0.4',
      'sjmt 1 0.1',
      'sjmt 1 0.4',
    ])
    // 3 networks x (2 rates + 2 more seeds)
    expect(total).toBe(12)
  })

  it('trains the other seeds at the rate that scored best on validation, once the search is scored', () => {
    const stored = new Map([
      done('emotion', 1, 0.1, true, 0.6, 1),
      done('emotion', 1, 0.4, true, 0.5, 2),
      done('au', 1, 0.1, true, 0.3, 3),
      done('au', 1, 0.4, true, 0.7, 4),
      done('sjmt', 1, 0.1, true, 0.2, 5),
    ])
    const { jobs } = planJobs(protocol, stored)
    const later = jobs.filter((j) => j.seed > 1).map((j) => `${j.role} ${j.seed} ${j.learningRate}`)
    expect(later).toEqual(['emotion 2 0.1', 'au 2 0.4', 'emotion 3 0.1', 'au 3 0.4'])
    expect(learningRateChoice(protocol, 'sjmt', 100, stored).chosen).toBeNull()
    expect(learningRateChoice(protocol, 'emotion', 100, stored)).toMatchObject({
      chosen: 0.1,
      scoredOn: 'validation emotion accuracy',
    })
    expect(seedJob(protocol, 'au', 100, 1, stored)?.run_id).toBe(4)
    expect(seedJob(protocol, 'au', 100, 2, stored)).toBeNull()
  })

  it('without a search (one rate) trains every seed at it', () => {
    const one = ExperimentProtocolSchema.parse({ methods: ['sjmt'], seeds: 2, budgets: [10, 20], learningRates: [0.4] })
    const { jobs, total } = planJobs(one, new Map())
    expect(jobs.map((j) => `${j.budget} ${j.seed} ${j.search}`)).toEqual(['10 1 false', '20 1 false'])
    expect(total).toBe(4)
  })
})

describe('stepsFor', () => {
  it('gives every network the budget in steps, and halves it for the two single networks in images', () => {
    expect(stepsFor('emotion', 1200, 'steps')).toBe(1200)
    expect(stepsFor('emotion', 1200, 'images')).toBe(600)
    expect(stepsFor('au', 1201, 'images')).toBe(600)
    expect(stepsFor('sjmt', 1200, 'images')).toBe(1200)
    expect(stepsFor('compound', 1200, 'images')).toBe(1200)
  })
})

describe('ExperimentProtocolSchema', () => {
  const refusal = (input: unknown) => {
    const r = ExperimentProtocolSchema.safeParse(input)
    return r.success ? null : r.error.issues[0]
  }
  it('refuses no seed, an unknown method, and a budget too small for one step per network', () => {
    expect(refusal({ seeds: 0 })?.path).toEqual(['seeds'])
    expect(refusal({ methods: ['single', 'resnet'] })?.path).toEqual(['methods', 1])
    expect(refusal({ budgetKind: 'images', budgets: [1] })?.message).toMatch(/too small.*single networks share it/)
    expect(refusal({ budgetKind: 'images', budgets: [1], methods: ['sjmt'] })).toBeNull()
  })
})

describe('Table 4 (--compound)', () => {
  it('adds a single compound network and SJMT over the three datasets, chosen on compound validation', () => {
    const p = ExperimentProtocolSchema.parse({ methods: ['sjmt'], compound: true, seeds: 2, learningRates: [0.4] })
    expect(resultMethods(p)).toEqual(['sjmt', 'single-compound', 'sjmt-compound'])
    expect(rolesOf(p)).toEqual(['sjmt', 'compound', 'sjmt-compound'])
    expect(ROLES.compound).toMatchObject({ method: 'single', datasets: ['demo-compound'] })
    expect(ROLES['sjmt-compound']).toMatchObject({
      method: 'sjmt',
      datasets: ['demo-emotion', 'demo-au', 'demo-compound'],
      validateOn: ['demo-compound'],
    })
    expect(planJobs(p, new Map()).total).toBe(6)
  })

  it('trains SJMT with landmarks as one more network: the same datasets and choice, its runs learning landmarks', () => {
    const p = ExperimentProtocolSchema.parse({ methods: ['sjmt', 'sjmt+landmarks'], seeds: 2, learningRates: [0.4] })
    expect(resultMethods(p)).toEqual(['sjmt', 'sjmt+landmarks'])
    expect(rolesOf(p)).toEqual(['sjmt', 'sjmt-landmarks'])
    const [plain, landmarks] = planJobs(p, new Map()).jobs
    expect(jobConfig(p, plain)).toMatchObject({ method: 'sjmt', landmarks: false })
    expect(jobConfig(p, landmarks)).toMatchObject({
      method: 'sjmt',
      landmarks: true,
      datasets: ['demo-emotion', 'demo-au'],
      seed: 1,
    })
    expect(ROLES['sjmt-landmarks'].validateOn).toEqual(ROLES.sjmt.validateOn)
    expect(jobConfig(p, landmarks).landmarkWeight).toBe(DEFAULT_LANDMARK_WEIGHT)
  })

  it("gives the landmark runs the protocol's landmark weight and leaves the other runs' config as it was", () => {
    const p = ExperimentProtocolSchema.parse({
      methods: ['sjmt', 'sjmt+landmarks'],
      seeds: 1,
      learningRates: [0.4],
      landmarkWeight: 2.5,
    })
    const [plain, landmarks] = planJobs(p, new Map()).jobs
    expect(jobConfig(p, landmarks)).toMatchObject({ landmarks: true, landmarkWeight: 2.5 })
    expect(jobConfig(p, plain)).toMatchObject({ landmarks: false, landmarkWeight: DEFAULT_LANDMARK_WEIGHT })
  })

  it("trains both Table 4 networks on 15 compound faces per class (the paper's few-shot setting), the others on all", () => {
    const p = ExperimentProtocolSchema.parse({ methods: ['sjmt'], compound: true, seeds: 1, learningRates: [0.4] })
    expect(p.compoundPerClass).toBe(15)
    const configs = planJobs(p, new Map()).jobs.map((j) => [j.role, jobConfig(p, j).perClassLimit])
    expect(configs).toEqual([
      ['sjmt', undefined],
      ['compound', { 'demo-compound': 15 }],
      ['sjmt-compound', { 'demo-compound': 15 }],
    ])
    const eight = ExperimentProtocolSchema.parse({ ...p, compoundPerClass: 8 })
    expect(planJobs(eight, new Map()).jobs.map((j) => jobConfig(eight, j).perClassLimit?.['demo-compound'])).toEqual([
      undefined,
      8,
      8,
    ])
  })

  it('refuses a number of compound faces per class that is not a whole number of 1 or more, naming the field', () => {
    for (const [bad, words] of [
      [0, /1 or more/],
      [-15, /1 or more/],
      [7.5, /whole number/],
    ] as const) {
      const r = ExperimentProtocolSchema.safeParse({ compound: true, compoundPerClass: bad })
      expect(r.error?.issues[0].path, String(bad)).toEqual(['compoundPerClass'])
      expect(r.error?.issues[0].message).toMatch(words)
    }
  })

  it('resumes an experiment stored before the per-class limit as it began: Table 4 on every compound face', () => {
    const old = { methods: ['sjmt'], seeds: 3, firstSeed: 1, budgets: [1200], budgetKind: 'steps', batchSize: 32 }
    const row = (protocol: object): ExperimentRow => ({
      id: 1,
      name: 'Table 4',
      protocol: JSON.stringify({ ...old, ...protocol }),
      status: 'stopped',
      status_reason: null,
      pid: null,
      created_at: 0,
      ended_at: null,
    })
    const before = protocolOf(row({ network: 'resnet-8', learningRates: [0.4], compound: true }))
    expect(before.compoundPerClass).toBeNull()
    expect(planJobs(before, new Map()).jobs.map((j) => jobConfig(before, j).perClassLimit)).toEqual([
      undefined,
      undefined,
      undefined,
    ])
    const now = protocolOf(row({ learningRates: [0.4], compound: true, compoundPerClass: 15 }))
    expect(now.compoundPerClass).toBe(15)
  })

  it('keeps the landmark weight an experiment began with when the default changes', () => {
    const methods = ['sjmt', 'sjmt+landmarks']
    const stored = (protocol: object): ExperimentRow => ({
      id: 1,
      name: 'landmarks',
      protocol: JSON.stringify({ methods, seeds: 1, learningRates: [0.4], ...protocol }),
      status: 'stopped',
      status_reason: null,
      pid: null,
      created_at: 0,
      ended_at: null,
    })
    // Stored before the weight was written out: the default was then 10.
    const before = protocolOf(stored({}))
    const landmarkRun = planJobs(before, new Map()).jobs[1]
    expect(jobConfig(before, landmarkRun)).toMatchObject({ landmarks: true, landmarkWeight: 10 })
    expect(protocolOf(stored({ landmarkWeight: 2.5 })).landmarkWeight).toBe(2.5)
    // Stored now: today's default is written out with the protocol.
    const now = ExperimentProtocolSchema.parse({ methods, seeds: 1 })
    expect(pinnedProtocol(now).landmarkWeight).toBe(DEFAULT_LANDMARK_WEIGHT)
    expect(pinnedProtocol(ExperimentProtocolSchema.parse({ methods: ['sjmt'] }))).not.toHaveProperty('landmarkWeight')
  })
})
