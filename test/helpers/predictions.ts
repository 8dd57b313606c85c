import type { Database } from 'better-sqlite3'
import { classIndex } from '../../src/main/catalogue/classes'

/**
 * Stores a finished run with the given probabilities (image id -> class code -> p), as the trainer
 * would after predicting: for tests of the grid's prediction filters and the label view's bars.
 */
export function storePredictions(
  db: Database,
  probabilities: Map<number, Record<string, number>>,
  name = 'test run',
  createdAt = Date.now(),
): number {
  const classes = classIndex(db)
  return db.transaction(() => {
    const runId = Number(
      db
        .prepare(
          `INSERT INTO runs (name, method, network, config, datasets, status, snapshot_hash, snapshot_path, created_at, ended_at)
        VALUES (?, 'sjmt', 'resnet-8', '{}', '[]', 'finished', 'test', '', ?, ?)`,
        )
        .run(name, createdAt, createdAt).lastInsertRowid,
    )
    const insert = db.prepare('INSERT INTO predictions (run_id, image_id, class_id, probability) VALUES (?, ?, ?, ?)')
    for (const [imageId, byCode] of probabilities)
      for (const [code, p] of Object.entries(byCode)) insert.run(runId, imageId, classes.id(code), p)
    db.prepare(
      "INSERT INTO prediction_sets (run_id, checkpoint, images, created_at) VALUES (?, 'test.ckpt', ?, ?)",
    ).run(runId, probabilities.size, createdAt)
    return runId
  })()
}
