import type { Database } from 'better-sqlite3'
import type { TrainerMessage } from '../../shared/trainer-protocol'
import { classIndex } from '../catalogue/classes'
import { plucked, prepared } from '../db/statements'
import { storedPath } from '../workspace/stored-paths'
import type { PredictionSetRow } from './run-rows'

// A run's predictions are kept per image: a batch the trainer sends replaces the rows of its own
// images only, so predicting other datasets adds to what the run has, and predicting some again
// leaves the rest alone. prediction_sets says the run has predictions: how many images, the latest
// checkpoint used, and when they last changed (the grid's prediction scores rebuild when that
// changes, so it always moves forward).

export type PredictionBatch = Extract<TrainerMessage, { type: 'predictions' }>

/** Stores one batch, replacing those images' earlier rows; returns how many images had no prediction from the run before. */
export function storePredictionBatch(db: Database, runId: number, batch: PredictionBatch): number {
  const classes = classIndex(db)
  const classIds = batch.classCodes.map((c) => classes.id(c, 'classCodes'))
  const n = classIds.length
  const clear = prepared(db, 'DELETE FROM predictions WHERE run_id = ? AND image_id = ?')
  const insert = prepared(db, 'INSERT INTO predictions (run_id, image_id, class_id, probability) VALUES (?, ?, ?, ?)')
  return db.transaction(() => {
    let added = 0
    batch.imageIds.forEach((imageId, row) => {
      // Classes no head predicts (NaN) get no row: the image's old rows go first, all of them.
      if (clear.run(runId, imageId).changes === 0) added++
      for (let c = 0; c < n; c++) {
        const p = batch.probabilities[row * n + c]
        if (Number.isFinite(p)) insert.run(runId, imageId, classIds[c], p)
      }
    })
    prepared(
      db,
      `INSERT INTO prediction_sets (run_id, checkpoint, images, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (run_id) DO UPDATE SET checkpoint = excluded.checkpoint, images = images + excluded.images,
        created_at = max(created_at + 1, excluded.created_at)`,
    ).run(runId, storedPath(db, batch.checkpoint), added, Date.now())
    return added
  })()
}

/** How many images have a prediction from the run (0 without any). */
export function predictedImageCount(db: Database, runId: number): number {
  return plucked<PredictionSetRow['images']>(db, 'SELECT images FROM prediction_sets WHERE run_id = ?').get(runId) ?? 0
}
