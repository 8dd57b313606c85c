// Several coders (issue 14). `labels` stays the consensus that training, filters and exports read;
// each coder's own answers are kept apart in `codings`, with their history in `coding_events`
// (a blind answer and any later change both stay). Coders have a role and, in lab mode, a personal
// link whose token is stored as its sha256 (the token is 32 random bytes, so a fast hash is enough).
// Assignments sample images of a dataset for several coders; adjudications log how a disagreement
// became the consensus. Existing labels become the codings of the annotator recorded in set_by.
export default /* sql */ `
CREATE TABLE coders (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role       TEXT NOT NULL DEFAULT 'coder' CHECK (role IN ('admin', 'coder')),
  token_hash TEXT UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

-- One coder's answer for one label: no row = not coded (unknown), value 0 = absent, 1 = present;
-- intensity 1-5 (A-E) when coded, NULL = present with intensity not coded (as labels.intensity).
CREATE TABLE codings (
  image_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  class_id  INTEGER NOT NULL REFERENCES classes(id),
  coder_id  INTEGER NOT NULL REFERENCES coders(id),
  value     INTEGER NOT NULL CHECK (value IN (0, 1)),
  intensity INTEGER CHECK (intensity BETWEEN 1 AND 5),
  set_at    INTEGER NOT NULL,
  PRIMARY KEY (image_id, class_id, coder_id)
) WITHOUT ROWID;
CREATE INDEX codings_by_coder ON codings (coder_id, image_id);
CREATE INDEX codings_by_class ON codings (class_id, image_id);

-- Append-only: every change of a coding. blind = 1 when given before the coder committed the
-- image of an assignment (while other codings and predictions were hidden).
CREATE TABLE coding_events (
  id            INTEGER PRIMARY KEY,
  image_id      INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  class_id      INTEGER NOT NULL REFERENCES classes(id),
  coder_id      INTEGER NOT NULL REFERENCES coders(id),
  old_value     INTEGER,
  new_value     INTEGER,
  old_intensity INTEGER,
  new_intensity INTEGER,
  blind         INTEGER NOT NULL DEFAULT 0 CHECK (blind IN (0, 1)),
  at            INTEGER NOT NULL,
  reason        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX coding_events_by_image ON coding_events (image_id, id);
CREATE TRIGGER coding_events_append_only_update BEFORE UPDATE ON coding_events
BEGIN SELECT RAISE(ABORT, 'coding_events is append-only'); END;
CREATE TRIGGER coding_events_append_only_delete BEFORE DELETE ON coding_events
WHEN EXISTS (SELECT 1 FROM images WHERE id = OLD.image_id)
BEGIN SELECT RAISE(ABORT, 'coding_events is append-only'); END;

CREATE TABLE assignments (
  id         INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  seed       INTEGER NOT NULL,
  images     INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- A coder's queue: the sampled images in their order; committed_at is set when the coder commits
-- the image (from then on the others' codings and the model's predictions are shown).
CREATE TABLE assignment_items (
  assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  coder_id      INTEGER NOT NULL REFERENCES coders(id),
  image_id      INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  committed_at  INTEGER,
  PRIMARY KEY (assignment_id, coder_id, image_id)
) WITHOUT ROWID;
CREATE INDEX assignment_items_by_coder ON assignment_items (coder_id, assignment_id, position);
CREATE INDEX assignment_items_by_image ON assignment_items (image_id, coder_id);

-- How a disagreement was settled: the consensus label edit (label_events keeps old and new values).
CREATE TABLE adjudications (
  id       INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  edit_id  INTEGER,
  by       TEXT NOT NULL,
  reason   TEXT NOT NULL,
  at       INTEGER NOT NULL
);
CREATE INDEX adjudications_by_image ON adjudications (image_id, id);

-- Existing labels: each becomes the coding of its recorded annotator, and stays the consensus.
INSERT INTO coders (name, role, created_at)
  SELECT set_by, 'coder', min(set_at) FROM labels GROUP BY set_by COLLATE NOCASE ORDER BY min(set_at);
INSERT INTO codings (image_id, class_id, coder_id, value, intensity, set_at)
  SELECT l.image_id, l.class_id, c.id, l.value,
    CASE WHEN l.intensity IN (1, 2, 3, 4, 5) THEN CAST(l.intensity AS INTEGER) END, l.set_at
  FROM labels l JOIN coders c ON c.name = l.set_by COLLATE NOCASE;
`
