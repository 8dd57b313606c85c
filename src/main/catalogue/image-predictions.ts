import type { Database } from 'better-sqlite3'
import type { ImagePredictions } from '../../shared/contract'
import { prepared } from '../db/statements'
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
  const rows = prepared(db, 'SELECT class_id, probability FROM predictions WHERE run_id = ? AND image_id = ?').all(run, imageId) as { class_id: number; probability: number }[]
  if (!rows.length) return null
  const name = (prepared(db, 'SELECT name FROM runs WHERE id = ?').get(run) as { name: string }).name
  return { runId: run, runName: name, probabilities: Object.fromEntries(rows.map((r) => [classes.code(r.class_id), r.probability])) }
}
