import { describe, expect, it } from 'vitest'
import { ExperimentProtocolSchema } from '../../shared/contract/experiments'
import type { ExperimentResultRow } from './store'
import { summarise } from './summary'

// Hand-computed: t(0.975, 2) = 4.302652729911275.
// sjmt 0.7, 0.8, 0.9: mean 0.8, s = 0.1, half-width 4.3026527 * 0.1 / √3 = 0.2484138.
// sjmt - single per seed: 0.1, 0.15, 0.1: mean 0.1166667, s = 0.0288675, half-width 0.0717109.

const protocol = ExperimentProtocolSchema.parse({ methods: ['single', 'sjmt'], seeds: 3, learningRates: [0.4] })
const result = (method: ExperimentResultRow['method'], seed: number, emotionAccuracy: number): ExperimentResultRow => ({
  method,
  budget: 1200,
  seed,
  metrics: JSON.stringify({ emotionAccuracy, auF1: null }),
})
const results = [
  result('sjmt', 1, 0.7),
  result('sjmt', 2, 0.8),
  result('sjmt', 3, 0.9),
  result('single', 1, 0.6),
  result('single', 2, 0.65),
  result('single', 3, 0.8),
]

describe('summarise', () => {
  const { rows, differences } = summarise(protocol, results, [])

  it('gives each method the mean and 95% t interval over seeds, with the values per seed', () => {
    const sjmt = rows.find((r) => r.method === 'sjmt')!.metrics.emotionAccuracy!
    expect(sjmt.mean).toBeCloseTo(0.8, 12)
    expect(sjmt.ci95[0]).toBeCloseTo(0.8 - 0.2484138, 6)
    expect(sjmt.ci95[1]).toBeCloseTo(0.8 + 0.2484138, 6)
    expect(sjmt.values).toEqual([0.7, 0.8, 0.9])
  })

  it('leaves out a metric no seed has a value for', () => {
    expect(rows[0].metrics.auF1).toBeUndefined()
  })

  it('pairs SJMT - single by seed', () => {
    const d = differences.find((x) => x.a === 'sjmt' && x.b === 'single' && x.metric === 'emotionAccuracy')!
    expect(d.mean).toBeCloseTo(0.1166667, 6)
    expect(d.ci95[0]).toBeCloseTo(0.1166667 - 0.0717109, 6)
    expect(d.ci95[1]).toBeCloseTo(0.1166667 + 0.0717109, 6)
    expect(differences.some((x) => x.b === 'multitask')).toBe(false)
  })

  it('pairs only the seeds both methods have', () => {
    const partial = summarise(protocol, results.slice(0, 5), []).differences.find(
      (x) => x.metric === 'emotionAccuracy',
    )!
    expect(partial.values.map((v) => +v.toFixed(6))).toEqual([0.1, 0.15])
  })

  it('pairs SJMT with landmarks - SJMT by seed', () => {
    const both = ExperimentProtocolSchema.parse({ methods: ['sjmt', 'sjmt+landmarks'], seeds: 3, learningRates: [0.4] })
    const withLandmarks = [0.75, 0.8, 0.95].map((v, i) => result('sjmt+landmarks', i + 1, v))
    const d = summarise(both, [...results, ...withLandmarks], []).differences
    expect(d.map((x) => `${x.a} - ${x.b}`)).toEqual(['sjmt+landmarks - sjmt'])
    expect(d[0].values.map((v) => +v.toFixed(6))).toEqual([0.05, 0, 0.05])
  })
})
