import type { ExperimentDetail } from '../../shared/contract'
import { CsvFile, type CsvCell } from './csv-file'

// An experiment's results as CSV, one row per method, budget and metric (kind "result") and per
// paired difference (kind "difference", method - compared_with), with the mean, its 95% interval
// over seeds and the value of each seed, so a reviewer can redo any number.

export const EXPERIMENT_COLUMNS = [
  'experiment_id',
  'kind',
  'budget',
  'budget_kind',
  'method',
  'compared_with',
  'metric',
  'mean',
  'ci95_low',
  'ci95_high',
  'seeds',
  'per_seed',
  'learning_rates',
]

export async function exportExperiment(
  detail: ExperimentDetail,
  file: string,
): Promise<{ rows: number; columns: string[]; sidecar: null }> {
  const base = (budget: number): CsvCell[] => [detail.id, '', budget, detail.protocol.budgetKind]
  const rows = await CsvFile.writeAll(file, EXPERIMENT_COLUMNS, async (csv) => {
    for (const r of detail.rows)
      for (const [metric, s] of Object.entries(r.metrics)) {
        const rates = Object.entries(r.learningRates).map(([role, lr]) => `${role}=${lr ?? ''}`)
        const row = base(r.budget)
        row[1] = 'result'
        await csv.write([
          ...row,
          r.method,
          '',
          metric,
          s.mean,
          s.ci95[0],
          s.ci95[1],
          s.values.length,
          s.values.join(';'),
          rates.join(';'),
        ])
      }
    for (const d of detail.differences) {
      const row = base(d.budget)
      row[1] = 'difference'
      await csv.write([
        ...row,
        d.a,
        d.b,
        d.metric,
        d.mean,
        d.ci95[0],
        d.ci95[1],
        d.values.length,
        d.values.join(';'),
        '',
      ])
    }
  })
  return { rows, columns: EXPERIMENT_COLUMNS, sidecar: null }
}
