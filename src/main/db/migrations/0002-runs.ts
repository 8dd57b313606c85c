// Training runs, their metrics over time, checkpoints, and the probabilities they predict.
export default /* sql */ `
CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL,
  method          TEXT NOT NULL,
  network         TEXT NOT NULL,
  config          TEXT NOT NULL,
  datasets        TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('starting', 'running', 'stopping', 'stopped', 'finished', 'failed')),
  status_reason   TEXT,
  backend         TEXT,
  backends        TEXT,
  snapshot_hash   TEXT NOT NULL,
  snapshot_path   TEXT NOT NULL,
  train_images    INTEGER NOT NULL DEFAULT 0,
  val_images      INTEGER NOT NULL DEFAULT 0,
  step            INTEGER NOT NULL DEFAULT 0,
  total_steps     INTEGER NOT NULL DEFAULT 0,
  images_per_second REAL,
  best_score      REAL,
  best_checkpoint TEXT,
  last_checkpoint TEXT,
  init_from       INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  created_at      INTEGER NOT NULL,
  ended_at        INTEGER,
  seconds         REAL NOT NULL DEFAULT 0
);

CREATE TABLE run_metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  split  TEXT NOT NULL,
  name   TEXT NOT NULL,
  step   INTEGER NOT NULL,
  value  REAL,
  PRIMARY KEY (run_id, split, name, step)
) WITHOUT ROWID;

-- One row per checkpoint file (the trainer rewrites last.ckpt and best.ckpt in place).
CREATE TABLE run_checkpoints (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  path   TEXT NOT NULL,
  step   INTEGER NOT NULL,
  best   INTEGER NOT NULL DEFAULT 0,
  score  REAL,
  at     INTEGER NOT NULL,
  PRIMARY KEY (run_id, path)
) WITHOUT ROWID;

-- The latest prediction of a run per image and class (NaN-free: classes no head predicts get no row).
CREATE TABLE predictions (
  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  image_id    INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  class_id    INTEGER NOT NULL REFERENCES classes(id),
  probability REAL NOT NULL,
  PRIMARY KEY (run_id, image_id, class_id)
) WITHOUT ROWID;

CREATE TABLE prediction_sets (
  run_id     INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  checkpoint TEXT NOT NULL,
  images     INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
`
