import type { Database } from 'better-sqlite3'
import { dirname, isAbsolute, resolve } from 'node:path'
import type { DatasetRow } from '../../catalogue/catalogue-rows'
import type { PredictionSetRow, RunCheckpointRow, RunRow } from '../../runs/run-rows'
import { toStoredPath } from '../../workspace/stored-paths'

// Paths inside the workspace become relative to it (workspace/stored-paths.ts), so that a copied or
// moved workspace finds its own files. Version 0.1.0 stored every path absolute: a dataset root, a
// run's snapshot and checkpoints, the checkpoint a prediction came from.
//
// The workspace may already have been moved or copied before this migration runs (the catalogue
// then names files of its old location). The old location is not stored anywhere; it is inferred
// from the runs: 0.1.0 wrote run N's snapshot as exactly <workspace>/runs/N/snapshot, so the part
// before /runs/N/snapshot is where the workspace was when the run started. A path under the
// workspace as it is now, or under such a former location, names a file of this workspace and is
// stored relative; any other path (a dataset on another disk) stays absolute. A moved workspace
// without any run gives no such evidence: its dataset roots keep their absolute old paths.
//
// A run's snapshot file is not rewritten (its hash, also kept in its checkpoints, covers the image
// paths): runs.snapshot_workspace records the former location, and the trainer reads the
// snapshot's absolute image paths under it from the workspace's current folder instead.

export default /* sql */ `
ALTER TABLE runs ADD COLUMN snapshot_workspace TEXT;
`

type RunPaths = Pick<RunRow, 'id' | 'snapshot_path' | 'best_checkpoint' | 'last_checkpoint'>

/** Where the workspace was when run `id` started, from its snapshot path; null when it does not say. */
function formerWorkspace(run: Pick<RunPaths, 'id' | 'snapshot_path'>): string | null {
  if (!isAbsolute(run.snapshot_path)) return null
  const m = /^(.*)[\\/]runs[\\/](\d+)[\\/]snapshot$/.exec(run.snapshot_path)
  if (!m || Number(m[2]) !== run.id) return null
  return m[1] === '' ? '/' : m[1]
}

/** Stores every path of the catalogue that lies in the workspace (now or formerly) relative to it. */
export function storeRelativePaths(db: Database, catalogueFile: string): void {
  const workspace = dirname(resolve(catalogueFile))
  const runs = db.prepare<[], RunPaths>('SELECT id, snapshot_path, best_checkpoint, last_checkpoint FROM runs').all()
  const roots = [workspace, ...new Set(runs.flatMap((r) => formerWorkspace(r) ?? []))]
  const stored = <T extends string | null>(path: T): T => {
    if (path === null || path === '' || !isAbsolute(path)) return path
    for (const root of roots) {
      const relative = toStoredPath(root, path)
      if (!isAbsolute(relative)) return relative as T
    }
    return path
  }

  for (const d of db
    .prepare<[], Pick<DatasetRow, 'id' | 'root' | 'options'>>('SELECT id, root, options FROM datasets')
    .all()) {
    let options = d.options
    try {
      const parsed = JSON.parse(d.options) as { source?: unknown }
      if (typeof parsed.source === 'string') options = JSON.stringify({ ...parsed, source: stored(parsed.source) })
    } catch {
      // Options that do not parse are kept exactly as they are.
    }
    db.prepare('UPDATE datasets SET root = ?, options = ? WHERE id = ?').run(stored(d.root), options, d.id)
  }
  const updateRun = db.prepare(
    'UPDATE runs SET snapshot_path = ?, best_checkpoint = ?, last_checkpoint = ?, snapshot_workspace = ? WHERE id = ?',
  )
  for (const r of runs)
    updateRun.run(
      stored(r.snapshot_path),
      stored(r.best_checkpoint),
      stored(r.last_checkpoint),
      formerWorkspace(r),
      r.id,
    )
  const updateCheckpoint = db.prepare('UPDATE run_checkpoints SET path = ? WHERE run_id = ? AND path = ?')
  for (const c of db
    .prepare<[], Pick<RunCheckpointRow, 'run_id' | 'path'>>('SELECT run_id, path FROM run_checkpoints')
    .all())
    updateCheckpoint.run(stored(c.path), c.run_id, c.path)
  const updateSet = db.prepare('UPDATE prediction_sets SET checkpoint = ? WHERE run_id = ?')
  for (const s of db
    .prepare<[], Pick<PredictionSetRow, 'run_id' | 'checkpoint'>>('SELECT run_id, checkpoint FROM prediction_sets')
    .all())
    updateSet.run(stored(s.checkpoint), s.run_id)
}
