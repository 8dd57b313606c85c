import type { Database } from 'better-sqlite3'
import type { RunBests } from '../../shared/contract'
import { prepared } from '../db/statements'
import type { RunMetricRow } from './run-rows'

/** Losses are best when lowest; every other validation metric (accuracies, F1) when highest. */
const lowerIsBetter = (name: string): boolean => /loss/i.test(name)

/** Best value of each validation metric per run, and the step it was reached at (the first, on ties). */
export function runBests(db: Database): RunBests[] {
  // value IS NOT NULL: every row read has a number.
  const rows = prepared<Omit<RunMetricRow, 'split' | 'value'> & { value: number }>(
    db,
    "SELECT run_id, name, step, value FROM run_metrics WHERE split = 'val' AND value IS NOT NULL ORDER BY run_id, name, step",
  ).all()
  const byRun = new Map<number, RunBests>()
  for (const r of rows) {
    let run = byRun.get(r.run_id)
    if (!run) byRun.set(r.run_id, (run = { runId: r.run_id, best: {} }))
    const current = run.best[r.name]
    const better = !current || (lowerIsBetter(r.name) ? r.value < current.value : r.value > current.value)
    if (better) run.best[r.name] = { value: r.value, step: r.step }
  }
  return [...byRun.values()]
}
