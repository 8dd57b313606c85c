import {
  EXPERIMENT_METRICS,
  type ExperimentMetric,
  type ExperimentProtocol,
  type LearningRateChoice,
  type MetricSummary,
  type ResultDifference,
  type ResultMethod,
  type ResultRow,
} from '../../shared/contract/experiments'
import { pairedDifferences, summarizeSeeds } from '../../shared/statistics/seed-intervals'
import { resultMethods, ROLES_OF } from './roles'
import type { ExperimentResultRow, SeedMetrics } from './store'

// The results table: per method, budget and metric the mean and 95% t interval over seeds, and the
// paired differences SJMT - single, SJMT - multitask and SJMT with landmarks - SJMT (Table 4: SJMT -
// single on compounds),
// paired by seed, over the seeds both methods have a value for.

const PAIRS: [ResultMethod, ResultMethod][] = [
  ['sjmt', 'single'],
  ['sjmt', 'multitask'],
  ['sjmt+landmarks', 'sjmt'],
  ['sjmt-compound', 'single-compound'],
]

type BySeed = Map<number, SeedMetrics>

function bySeed(results: ExperimentResultRow[], method: ResultMethod, budget: number): BySeed {
  return new Map(
    results
      .filter((r) => r.method === method && r.budget === budget)
      .map((r) => [r.seed, JSON.parse(r.metrics) as SeedMetrics]),
  )
}

const valuesOf = (seeds: BySeed, metric: ExperimentMetric, only?: ReadonlySet<number>): [number, number][] =>
  [...seeds.entries()]
    .filter(([seed, m]) => typeof m[metric] === 'number' && (!only || only.has(seed)))
    .sort(([a], [b]) => a - b)
    .map(([seed, m]) => [seed, m[metric] as number])

function summary(values: number[]): MetricSummary {
  const s = summarizeSeeds(values)
  return { mean: s.mean, ci95: s.ci95, values: s.values }
}

function rowOf(method: ResultMethod, budget: number, seeds: BySeed, choices: LearningRateChoice[]): ResultRow {
  const metrics: ResultRow['metrics'] = {}
  for (const metric of EXPERIMENT_METRICS) {
    const values = valuesOf(seeds, metric).map(([, v]) => v)
    if (values.length) metrics[metric] = summary(values)
  }
  const learningRates = Object.fromEntries(
    ROLES_OF[method].map((role) => [role, choices.find((c) => c.role === role && c.budget === budget)?.chosen ?? null]),
  )
  return { method, budget, learningRates, metrics }
}

function differencesOf(
  a: ResultMethod,
  b: ResultMethod,
  budget: number,
  left: BySeed,
  right: BySeed,
): ResultDifference[] {
  return EXPERIMENT_METRICS.flatMap((metric) => {
    const l = new Map(valuesOf(left, metric))
    const r = valuesOf(right, metric).filter(([seed]) => l.has(seed))
    if (!r.length) return []
    const d = pairedDifferences(
      r.map(([seed]) => l.get(seed)!),
      r.map(([, v]) => v),
    )
    return [{ a, b, budget, metric, mean: d.mean, ci95: d.ci95, values: d.values }]
  })
}

/** Rows and paired differences of an experiment from its stored per-seed scores. */
export function summarise(
  protocol: ExperimentProtocol,
  results: ExperimentResultRow[],
  choices: LearningRateChoice[],
): { rows: ResultRow[]; differences: ResultDifference[] } {
  const methods = resultMethods(protocol)
  const rows: ResultRow[] = []
  const differences: ResultDifference[] = []
  for (const budget of protocol.budgets) {
    const seeds = new Map(methods.map((m) => [m, bySeed(results, m, budget)]))
    for (const m of methods) if (seeds.get(m)!.size) rows.push(rowOf(m, budget, seeds.get(m)!, choices))
    for (const [a, b] of PAIRS)
      if (seeds.has(a) && seeds.has(b)) differences.push(...differencesOf(a, b, budget, seeds.get(a)!, seeds.get(b)!))
  }
  return { rows, differences }
}
