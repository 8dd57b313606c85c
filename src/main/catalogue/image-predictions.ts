import type { Database } from 'better-sqlite3'
import type { ImagePredictions } from '../../shared/contract'
import { prepared, scalar } from '../db/statements'
import type { PredictionRow } from '../runs/run-rows'
import { classIndex } from './classes'
import { requireImage } from './images'
import { newestPredictedRun, predictedAt } from './prediction-scores'

/** A run's probabilities for one image (by default the newest run with predictions); null when it has none. */
export function imagePredictions(db: Database, imageId: number, runId?: number): ImagePredictions | null {
  requireImage(db, imageId, 'imageId')
  const run = runId ?? newestPredictedRun(db)
  if (run === null) return null
  predictedAt(db, run)
  const classes = classIndex(db)
  const rows = prepared<Pick<PredictionRow, 'class_id' | 'probability'>>(
    db,
    'SELECT class_id, probability FROM predictions WHERE run_id = ? AND image_id = ?',
  ).all(run, imageId)
  if (!rows.length) return null
  const name = scalar<string>(db, 'SELECT name FROM runs WHERE id = ?', run)
  return {
    runId: run,
    runName: name,
    probabilities: Object.fromEntries(rows.map((r) => [classes.code(r.class_id), r.probability])),
  }
}
