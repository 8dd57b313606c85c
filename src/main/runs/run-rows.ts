import type { Database } from 'better-sqlite3'
import type { BackendName, BackendStatus, MetricSeries, RunDetail, RunStatus, RunSummary } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { RunConfigSchema } from '../../shared/run-config'
import { isoTime } from '../catalogue/time'
import { prepared } from '../db/statements'
import { filePath } from '../workspace/stored-paths'

// The run tables as SQLite returns their rows (snake_case; migrations 0002 and 0004), and their
// mapping to the contract's types. A query types its rows as a Pick of these.

/** runs: a run as stored; its paths (snapshot, checkpoints) are stored paths (workspace/stored-paths.ts). */
export interface RunRow {
  id: number
  name: string
  method: string
  network: string
  config: string
  datasets: string
  status: RunStatus
  status_reason: string | null
  backend: BackendName | null
  backends: string | null
  snapshot_hash: string
  snapshot_path: string
  snapshot_workspace: string | null
  train_images: number
  val_images: number
  step: number
  total_steps: number
  images_per_second: number | null
  best_score: number | null
  best_checkpoint: string | null
  last_checkpoint: string | null
  init_from: number | null
  created_at: number
  ended_at: number | null
  seconds: number
}

/** run_metrics: one value of a metric (per split) at a step. */
export interface RunMetricRow {
  run_id: number
  split: string
  name: string
  step: number
  value: number | null
}

/** run_checkpoints: one checkpoint file of a run (the trainer rewrites last.ckpt and best.ckpt in place). */
export interface RunCheckpointRow {
  run_id: number
  path: string
  step: number
  best: 0 | 1
  score: number | null
  at: number
}

/** predictions: a run's latest probability per image and class. */
export interface PredictionRow {
  run_id: number
  image_id: number
  class_id: number
  probability: number
}

/** prediction_sets: which checkpoint a run's predictions came from, over how many images, when. */
export interface PredictionSetRow {
  run_id: number
  checkpoint: string
  images: number
  created_at: number
}

export const checkpointOf = (
  db: Database,
  c: Pick<RunCheckpointRow, 'step' | 'path' | 'best' | 'score' | 'at'>,
): RunDetail['checkpoints'][number] => ({
  step: c.step,
  path: filePath(db, c.path),
  best: c.best === 1,
  score: c.score,
  at: isoTime(c.at),
})

export function runRow(db: Database, id: number): RunRow {
  const row = prepared<RunRow>(db, 'SELECT * FROM runs WHERE id = ?').get(id)
  if (!row) throw new WorkbenchError('not_found', `No run with id ${id} in this workspace.`, { field: 'id', id })
  return row
}

function latestValues(db: Database, id: number): Record<string, number | null> {
  const rows = prepared<Pick<RunMetricRow, 'name' | 'value'>>(
    db,
    `SELECT m.name, m.value FROM run_metrics m WHERE m.run_id = ? AND m.split = 'val'
    AND m.step = (SELECT max(step) FROM run_metrics WHERE run_id = m.run_id AND split = 'val' AND name = m.name)`,
  ).all(id)
  return Object.fromEntries(rows.map((r) => [r.name, r.value]))
}

export function runSummary(db: Database, row: RunRow): RunSummary {
  return {
    id: row.id,
    name: row.name,
    method: row.method,
    network: row.network,
    datasets: JSON.parse(row.datasets) as string[],
    status: row.status,
    statusReason: row.status_reason,
    backend: row.backend,
    step: row.step,
    totalSteps: row.total_steps,
    trainImages: row.train_images,
    valImages: row.val_images,
    imagesPerSecond: row.images_per_second,
    bestScore: row.best_score,
    createdAt: isoTime(row.created_at),
    endedAt: row.ended_at === null ? null : isoTime(row.ended_at),
    seconds: row.seconds,
    latest: latestValues(db, row.id),
    hasPredictions: !!prepared(db, 'SELECT 1 FROM prediction_sets WHERE run_id = ?').get(row.id),
  }
}

export function runDetail(db: Database, id: number): RunDetail {
  const row = runRow(db, id)
  const points = prepared<Pick<RunMetricRow, 'split' | 'name' | 'step' | 'value'>>(
    db,
    'SELECT split, name, step, value FROM run_metrics WHERE run_id = ? ORDER BY split, name, step',
  ).all(id)
  const series = new Map<string, MetricSeries>()
  for (const p of points) {
    const key = `${p.split}\0${p.name}`
    if (!series.has(key)) series.set(key, { split: p.split, name: p.name, points: [] })
    series.get(key)!.points.push([p.step, p.value])
  }
  const checkpoints = prepared<Pick<RunCheckpointRow, 'step' | 'path' | 'best' | 'score' | 'at'>>(
    db,
    'SELECT step, path, best, score, at FROM run_checkpoints WHERE run_id = ? ORDER BY step',
  )
    .all(id)
    .map((c) => checkpointOf(db, c))
  return {
    ...runSummary(db, row),
    config: RunConfigSchema.parse(JSON.parse(row.config)),
    backends: row.backends ? (JSON.parse(row.backends) as BackendStatus[]) : [],
    snapshotHash: row.snapshot_hash,
    checkpoints,
    metrics: [...series.values()],
    initFrom: row.init_from,
  }
}
