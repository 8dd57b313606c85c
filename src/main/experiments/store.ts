import type { Database } from 'better-sqlite3'
import {
  ExperimentProtocolSchema,
  type ExperimentMetric,
  type ExperimentProtocol,
  type ExperimentStatus,
  type ResultMethod,
} from '../../shared/contract/experiments'
import { WorkbenchError } from '../../shared/errors'
import { DEFAULT_LANDMARK_WEIGHT } from '../../shared/run-config'
import { plucked, prepared } from '../db/statements'

// The experiment tables (migration 0009) as typed rows: snake_case as SQLite returns them, mapped
// here and nowhere else.

export interface ExperimentRow {
  id: number
  name: string
  protocol: string
  status: ExperimentStatus
  status_reason: string | null
  pid: number | null
  created_at: number
  ended_at: number | null
}

export interface ExperimentRunRow {
  job_key: string
  role: string
  budget: number
  seed: number
  learning_rate: number
  search: 0 | 1
  run_id: number | null
  val_score: number | null
}

export interface ExperimentResultRow {
  method: ResultMethod
  budget: number
  seed: number
  metrics: string
}

export type SeedMetrics = Partial<Record<ExperimentMetric, number | null>>

/** The landmark weight of the sjmt+landmarks runs of experiments stored without one: the default until 30 November 2026. */
const EARLIER_LANDMARK_WEIGHT = 10

const learnsLandmarks = (p: Pick<ExperimentProtocol, 'methods'>): boolean => p.methods.includes('sjmt+landmarks')

/** The protocol as stored: the landmark weight written out, so a later change of its default leaves the experiment as it began. */
export const pinnedProtocol = (p: ExperimentProtocol): ExperimentProtocol =>
  learnsLandmarks(p) ? { ...p, landmarkWeight: p.landmarkWeight ?? DEFAULT_LANDMARK_WEIGHT } : p

export function insertExperiment(db: Database, name: string, protocol: ExperimentProtocol): number {
  return Number(
    prepared(
      db,
      "INSERT INTO experiments (name, protocol, status, pid, created_at) VALUES (?, ?, 'running', ?, ?)",
    ).run(name, JSON.stringify(pinnedProtocol(protocol)), process.pid, Date.now()).lastInsertRowid,
  )
}

export function experimentRow(db: Database, id: number): ExperimentRow {
  const row = prepared<ExperimentRow>(db, 'SELECT * FROM experiments WHERE id = ?').get(id)
  if (!row) throw new WorkbenchError('not_found', `No experiment ${id} in this workspace.`, { id })
  return row
}

export const experimentIds = (db: Database): number[] =>
  plucked<number>(db, 'SELECT id FROM experiments ORDER BY id DESC').all()

/**
 * The stored protocol, as the experiment began. One stored before Table 4 had its per-class limit
 * trained Table 4 on every compound training face, and one stored before the landmark weight was
 * written out trained its landmark runs at the then default, 10: both keep doing so when resumed,
 * so that their runs stay comparable.
 */
export function protocolOf(row: ExperimentRow): ExperimentProtocol {
  const stored = ExperimentProtocolSchema.parse({ compoundPerClass: null, ...(JSON.parse(row.protocol) as object) })
  return learnsLandmarks(stored)
    ? { ...stored, landmarkWeight: stored.landmarkWeight ?? EARLIER_LANDMARK_WEIGHT }
    : stored
}

export function setExperimentStatus(
  db: Database,
  id: number,
  status: ExperimentStatus,
  reason: string | null = null,
): void {
  const active = status === 'running' || status === 'stopping'
  prepared(db, 'UPDATE experiments SET status = ?, status_reason = ?, pid = ?, ended_at = ? WHERE id = ?').run(
    status,
    reason,
    active ? process.pid : null,
    active ? null : Date.now(),
    id,
  )
}

export const experimentRuns = (db: Database, id: number): ExperimentRunRow[] =>
  prepared<ExperimentRunRow>(
    db,
    'SELECT job_key, role, budget, seed, learning_rate, search, run_id, val_score FROM experiment_runs WHERE experiment_id = ?',
  ).all(id)

/** Records a job's run as soon as it starts (so a crash leaves it to resume), then its validation score. */
export function saveExperimentRun(db: Database, id: number, row: ExperimentRunRow): void {
  prepared(
    db,
    `INSERT INTO experiment_runs (experiment_id, job_key, role, budget, seed, learning_rate, search, run_id, val_score)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (experiment_id, job_key) DO UPDATE SET run_id = excluded.run_id, val_score = excluded.val_score`,
  ).run(id, row.job_key, row.role, row.budget, row.seed, row.learning_rate, row.search, row.run_id, row.val_score)
}

export const experimentResults = (db: Database, id: number): ExperimentResultRow[] =>
  prepared<ExperimentResultRow>(
    db,
    'SELECT method, budget, seed, metrics FROM experiment_results WHERE experiment_id = ? ORDER BY budget, seed',
  ).all(id)

export function saveExperimentResult(
  db: Database,
  id: number,
  at: { method: ResultMethod; budget: number; seed: number },
  metrics: SeedMetrics,
): void {
  prepared(
    db,
    'INSERT OR REPLACE INTO experiment_results (experiment_id, method, budget, seed, metrics) VALUES (?, ?, ?, ?, ?)',
  ).run(id, at.method, at.budget, at.seed, JSON.stringify(metrics))
}
