import {
  EXPERIMENT_METRIC_TITLES,
  EXPERIMENT_METRICS,
  type ExperimentDetail,
  type ExperimentMetric,
  type MetricSummary,
  type ResultMethod,
} from '../../shared/contract'
import { DEFAULT_LANDMARK_WEIGHT } from '../../shared/run-config'

// `affect experiment` printed: the learning-rate search, then per budget the Table 2 / Table 4
// layout with a mean and 95% interval over seeds per cell, the paired differences, and with
// several budgets a curve per metric (one line per method).

export const METHOD_TITLES: Record<ResultMethod, string> = {
  single: 'single networks (Fig. 1a)',
  multitask: 'classical multi-task (Fig. 1b)',
  sjmt: 'SJMT (Fig. 1c)',
  'sjmt+landmarks': 'SJMT + landmarks (future work)',
  'single-compound': 'single network, compounds (Table 4)',
  'sjmt-compound': 'SJMT, compounds (Table 4)',
}

/** Shares as percentages, the Fig. 2 error and rank correlation as they are. */
const isShare = (metric: ExperimentMetric): boolean =>
  metric !== 'fig2Error' && metric !== 'fig2Rank' && metric !== 'landmarkNme'

export function formatValue(metric: ExperimentMetric, v: number): string {
  return isShare(metric) ? `${(100 * v).toFixed(1)}%` : v.toFixed(3)
}

export function formatSummary(metric: ExperimentMetric, s: MetricSummary | undefined): string {
  if (!s) return '-'
  const [low, high] = s.ci95
  const f = (v: number) => formatValue(metric, v)
  return s.values.length > 1 ? `${f(s.mean)} [${f(low)}, ${f(high)}]` : `${f(s.mean)} (one seed)`
}

function printLearningRates(d: ExperimentDetail): void {
  console.log(`\nLearning rates chosen on the validation split (first seed, ${d.protocol.firstSeed}):\n`)
  for (const c of d.learningRates) {
    const tried = c.tried.map(
      (t) =>
        `${t.learningRate}: ${t.valScore === null ? '-' : t.valScore < 0 ? 'no score' : `${(100 * t.valScore).toFixed(1)}%`}`,
    )
    console.log(`  ${c.role}, budget ${c.budget}: ${tried.join(', ')} -> ${c.chosen ?? 'not yet'} (${c.scoredOn})`)
  }
}

function printBudget(d: ExperimentDetail, budget: number): void {
  const rows = d.rows.filter((r) => r.budget === budget)
  const metrics = EXPERIMENT_METRICS.filter((m) => rows.some((r) => r.metrics[m]))
  const unit =
    d.protocol.budgetKind === 'images'
      ? `${budget * d.protocol.batchSize} images per method`
      : `${budget} steps per network`
  const seeds = Math.max(0, ...rows.flatMap((r) => Object.values(r.metrics).map((m) => m.values.length)))
  const of = seeds < d.protocol.seeds ? ` (${seeds} of the ${d.protocol.seeds} seeds done)` : ''
  const weight = rows.some((r) => r.method === 'sjmt+landmarks')
    ? `, landmark weight ${d.protocol.landmarkWeight ?? DEFAULT_LANDMARK_WEIGHT}`
    : ''
  const table4 = !rows.some((r) => r.method === 'sjmt-compound')
    ? ''
    : d.protocol.compoundPerClass === null
      ? ', Table 4 on every compound training face'
      : `, Table 4 on ${d.protocol.compoundPerClass} compound training faces per class`
  console.log(
    `\n${d.protocol.network}, ${unit}${weight}${table4}, test split, mean [95% interval] over ${seeds} seed(s)${of}:\n`,
  )
  console.log(`| method | ${metrics.map((m) => EXPERIMENT_METRIC_TITLES[m]).join(' | ')} |`)
  console.log(`|---|${metrics.map(() => '---|').join('')}`)
  for (const r of rows)
    console.log(`| ${METHOD_TITLES[r.method]} | ${metrics.map((m) => formatSummary(m, r.metrics[m])).join(' | ')} |`)
  const diffs = d.differences.filter((x) => x.budget === budget)
  if (!diffs.length) return
  console.log('\nPaired differences (same seeds), mean [95% interval]:\n')
  for (const x of diffs) {
    const f = (v: number) => (isShare(x.metric) ? `${(100 * v).toFixed(1)} points` : v.toFixed(3))
    const ci = x.values.length > 1 ? ` [${f(x.ci95[0])}, ${f(x.ci95[1])}]` : ' (one seed)'
    console.log(`  ${x.a} - ${x.b}, ${EXPERIMENT_METRIC_TITLES[x.metric]}: ${f(x.mean)}${ci}`)
  }
}

function printCurves(d: ExperimentDetail): void {
  console.log(`\nCurves over the budgets (${d.protocol.budgets.join(', ')}):\n`)
  for (const metric of EXPERIMENT_METRICS) {
    const methods = [...new Set(d.rows.filter((r) => r.metrics[metric]).map((r) => r.method))]
    if (!methods.length) continue
    console.log(`  ${EXPERIMENT_METRIC_TITLES[metric]}`)
    for (const m of methods) {
      const points = d.protocol.budgets.map((b) => {
        const s = d.rows.find((r) => r.method === m && r.budget === b)?.metrics[metric]
        return s ? formatValue(metric, s.mean) : '-'
      })
      console.log(`    ${m.padEnd(16)} ${points.join('  ')}`)
    }
  }
}

export function printExperiment(d: ExperimentDetail): void {
  console.log(`Experiment ${d.id}: ${d.name} (${d.status}, ${d.done}/${d.total} runs)`)
  printLearningRates(d)
  for (const budget of d.protocol.budgets) printBudget(d, budget)
  if (d.protocol.budgets.length > 1) printCurves(d)
  console.log(
    "\nAU F1 on emotion-only faces and the Fig. 2 score are against the generator's hidden truth (Fig. 2: mean absolute error between the mean predicted AU per predicted emotion and the share of those faces that show the AU; rank: Spearman over the same cells).",
  )
}
