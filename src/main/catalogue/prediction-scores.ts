import type { Database } from 'better-sqlite3'
import { WorkbenchError } from '../../shared/errors'
import { plucked, prepared, scalar } from '../db/statements'
import type { PredictionSetRow, RunRow } from '../runs/run-rows'

// Sorting a million images by how unsure a run was, or by how far its predictions are from the
// labels, needs one score per image with an index. They live in a TEMP table of main's connection:
// derived data, rebuilt from `predictions` when needed, so no schema change and nothing to migrate.
// Disagreement depends on labels: edits since the last build (label_events) are patched in.

/** temp.prediction_scores: one run's scores of an image. */
export interface PredictionScoreRow {
  image_id: number
  uncertainty: number
  disagreement: number | null
}

interface Built {
  runId: number
  predictedAt: number
  lastEventId: number
  labelTotal: number
}

const built = new WeakMap<Database, Built>()
/** A bulk edit this large is cheaper to answer with a rebuild than image by image. */
const PATCH_LIMIT = 20_000

const DISAGREEMENT = `SELECT max(abs(l.value - p.probability)) FROM predictions p JOIN labels l ON l.image_id = p.image_id AND l.class_id = p.class_id
  WHERE p.run_id = ? AND p.image_id = ?`

function createTable(db: Database): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS prediction_scores (image_id INTEGER PRIMARY KEY, uncertainty REAL NOT NULL, disagreement REAL);
    CREATE INDEX IF NOT EXISTS temp.prediction_scores_by_uncertainty ON prediction_scores (uncertainty, image_id);
    CREATE INDEX IF NOT EXISTS temp.prediction_scores_by_disagreement ON prediction_scores (disagreement, image_id);`)
}

const lastEventId = (db: Database): number => scalar<number>(db, 'SELECT coalesce(max(id), 0) FROM label_events')
const labelTotal = (db: Database): number => scalar<number>(db, 'SELECT coalesce(sum(n), 0) FROM label_counts')

/** When the run's predictions were stored, or a clear error naming the field when it has none. */
export function predictedAt(db: Database, runId: number, field = 'runId'): number {
  const set = prepared<Pick<PredictionSetRow, 'created_at'>>(
    db,
    'SELECT created_at FROM prediction_sets WHERE run_id = ?',
  ).get(runId)
  if (!set) {
    const run = prepared<Pick<RunRow, 'name'>>(db, 'SELECT name FROM runs WHERE id = ?').get(runId)
    if (!run)
      throw new WorkbenchError('not_found', `No run with id ${runId} (${field}) in this workspace.`, {
        field,
        id: runId,
      })
    throw new WorkbenchError(
      'not_found',
      `Run ${runId} (${run.name}) has no predictions yet (${field}): let it finish, or run \`affect predict --run ${runId}\`.`,
      { field, id: runId },
    )
  }
  return set.created_at
}

function rebuild(db: Database, runId: number, at: number): void {
  db.transaction(() => {
    createTable(db)
    db.prepare('DELETE FROM temp.prediction_scores').run()
    db.prepare(
      `INSERT INTO temp.prediction_scores (image_id, uncertainty, disagreement)
      SELECT p.image_id, max(1 - abs(2 * p.probability - 1)), max(abs(l.value - p.probability))
      FROM predictions p LEFT JOIN labels l ON l.image_id = p.image_id AND l.class_id = p.class_id
      WHERE p.run_id = ? GROUP BY p.image_id`,
    ).run(runId)
    built.set(db, { runId, predictedAt: at, lastEventId: lastEventId(db), labelTotal: labelTotal(db) })
  })()
}

/**
 * Makes temp.prediction_scores hold the scores of `runId`'s predictions against the current labels.
 * Cheap when nothing changed; patches images edited since; rebuilds for another run or new predictions.
 */
export function ensurePredictionScores(db: Database, runId: number, field = 'runId'): void {
  const at = predictedAt(db, runId, field)
  const state = built.get(db)
  if (!state || state.runId !== runId || state.predictedAt !== at) return rebuild(db, runId, at)
  const newest = lastEventId(db)
  const total = labelTotal(db)
  if (newest === state.lastEventId) {
    // Labels changed without an edit (an import added some): the scores cannot say which.
    if (total !== state.labelTotal) rebuild(db, runId, at)
    return
  }
  const edited = plucked<number>(db, 'SELECT DISTINCT image_id FROM label_events WHERE id > ? LIMIT ?').all(
    state.lastEventId,
    PATCH_LIMIT + 1,
  )
  if (edited.length > PATCH_LIMIT) return rebuild(db, runId, at)
  const update = prepared(db, `UPDATE temp.prediction_scores SET disagreement = (${DISAGREEMENT}) WHERE image_id = ?`)
  db.transaction(() => {
    for (const id of edited) update.run(runId, id, id)
  })()
  built.set(db, { ...state, lastEventId: newest, labelTotal: total })
}

/** The newest run that has predictions, if any. */
export function newestPredictedRun(db: Database): number | null {
  return (
    plucked<number>(db, 'SELECT run_id FROM prediction_sets ORDER BY created_at DESC, run_id DESC LIMIT 1').get() ??
    null
  )
}
