import { describe, expect, it } from 'vitest'
import type { DatasetSummary, RunEvaluation, RunSummary } from '@shared/contract'
import type { LabelClass } from '@shared/labels'
import { compareTable, evaluationKey } from './compare-table'

const classes = [
  { code: 'happy', kind: 'emotion' },
  { code: 'AU12', kind: 'au' },
  { code: 'AU6', kind: 'au' },
] as LabelClass[]
const datasets = [
  { name: 'sfew', classCodes: ['happy'] },
  { name: 'emotionet', classCodes: ['AU12', 'AU6'] },
] as DatasetSummary[]
const run = (id: number, method: string, names: string[]) =>
  ({ id, method, network: 'resnet-32', datasets: names }) as RunSummary
const coverage = (datasets: string[], images: number, scored: number) => ({
  datasets,
  images,
  scored,
  unpredicted: images - scored,
})
const evaluation = (e: Partial<RunEvaluation>) =>
  ({
    emotionAccuracy: null,
    auAccuracyMean: null,
    auF1Mean: null,
    perClass: [],
    compound: null,
    hiddenTruth: null,
    coverage: coverage([], 0, 0),
    ...e,
  }) as RunEvaluation

describe('compareTable', () => {
  it("lays runs out like the paper's Table 2: a column per dataset and task, AU accuracy with F1 and base rate", () => {
    const sjmt = run(1, 'sjmt', ['sfew', 'emotionet'])
    const single = run(2, 'single', ['sfew'])
    const { columns, rows } = compareTable([sjmt, single], datasets, classes, {
      [evaluationKey(1, 'sfew')]: evaluation({
        emotionAccuracy: 0.459,
        hiddenTruth: { images: 4, auF1Mean: 0.5, auAccuracyMean: 0.8, perAu: [] },
      }),
      [evaluationKey(1, 'emotionet')]: evaluation({
        auAccuracyMean: 0.939,
        auF1Mean: 0.4,
        perClass: [
          { code: 'AU12', kind: 'au', baseRate: 0.1, support: 10 },
          { code: 'AU6', kind: 'au', baseRate: 0.3, support: 10 },
        ] as RunEvaluation['perClass'],
      }),
      [evaluationKey(2, 'sfew')]: evaluation({ emotionAccuracy: 0.413 }),
    })
    expect(columns.map((c) => c.title)).toEqual(['sfew emotion', 'sfew AUs vs hidden truth (F1)', 'emotionet AUs'])
    expect(rows.map((r) => r.method)).toEqual(['SJMT', 'single network'])
    expect(rows[0].cells['sfew:emotion']).toEqual({ value: 0.459 })
    expect(rows[0].cells['emotionet:au']).toEqual({ value: 0.939, f1: 0.4, baseRate: expect.closeTo(0.2, 9) })
    // A run that did not train on a dataset has no cell there.
    expect(rows[1].cells['emotionet:au']).toBeNull()
  })

  it("adds up each run's coverage over its datasets, so a run missing predictions says so", () => {
    const sjmt = run(1, 'sjmt', ['sfew', 'emotionet'])
    const single = run(2, 'single', ['sfew'])
    const { rows } = compareTable([sjmt, single], datasets, classes, {
      [evaluationKey(1, 'sfew')]: evaluation({ coverage: coverage(['sfew'], 600, 593) }),
      [evaluationKey(1, 'emotionet')]: evaluation({ coverage: coverage(['emotionet'], 400, 400) }),
    })
    expect(rows[0].coverage).toEqual({ datasets: ['sfew', 'emotionet'], images: 1000, scored: 993, unpredicted: 7 })
    // Not evaluated yet (no predictions): no coverage to show.
    expect(rows[1].coverage).toBeNull()
  })
})
