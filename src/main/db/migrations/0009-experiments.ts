// Experiments (issue 16): a protocol comparing training methods over seeds and budgets, the runs it
// trains (one row per network role, seed, budget and learning rate tried) and each method's scores
// per seed. Numbered 0009: 0006-0008 and 0010 belong to the faces, intensity, coders and video work.
export default /* sql */ `
CREATE TABLE IF NOT EXISTS experiments (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  protocol      TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('running', 'stopping', 'stopped', 'finished', 'failed')),
  status_reason TEXT,
  -- The process running it while it runs: another process (the CLI beside the app) can tell a
  -- running experiment from one a crash interrupted.
  pid           INTEGER,
  created_at    INTEGER NOT NULL,
  ended_at      INTEGER
);

-- A run of the protocol. The learning rate of the later seeds is chosen from the first seed's rows.
CREATE TABLE IF NOT EXISTS experiment_runs (
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  job_key       TEXT NOT NULL,
  role          TEXT NOT NULL,
  budget        INTEGER NOT NULL,
  seed          INTEGER NOT NULL,
  learning_rate REAL NOT NULL,
  search        INTEGER NOT NULL CHECK (search IN (0, 1)),
  run_id        INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  val_score     REAL,
  PRIMARY KEY (experiment_id, job_key)
) WITHOUT ROWID;

-- A method's scores on one seed and budget (JSON: metric name -> value), written once its runs are scored.
CREATE TABLE IF NOT EXISTS experiment_results (
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  method        TEXT NOT NULL,
  budget        INTEGER NOT NULL,
  seed          INTEGER NOT NULL,
  metrics       TEXT NOT NULL,
  PRIMARY KEY (experiment_id, method, budget, seed)
) WITHOUT ROWID;
`
