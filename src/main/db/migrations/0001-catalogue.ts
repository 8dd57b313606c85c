// The catalogue: classes of the union label space, datasets with their label spaces, images, labels
// (no row = unknown, value 0 = absent) and the append-only label history.
export default /* sql */ `
CREATE TABLE classes (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('emotion', 'au', 'compound')),
  name        TEXT NOT NULL,
  description TEXT NOT NULL,
  au_number   INTEGER,
  position    INTEGER NOT NULL
);

CREATE TABLE datasets (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  root       TEXT NOT NULL,
  format     TEXT NOT NULL,
  options    TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);

-- The label space L^k of a dataset: the classes it annotates.
CREATE TABLE dataset_classes (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  class_id   INTEGER NOT NULL REFERENCES classes(id),
  PRIMARY KEY (dataset_id, class_id)
) WITHOUT ROWID;

CREATE TABLE images (
  id            INTEGER PRIMARY KEY,
  dataset_id    INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  path          TEXT NOT NULL,
  sha256        TEXT NOT NULL,
  width         INTEGER NOT NULL,
  height        INTEGER NOT NULL,
  split         TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
  face_x        REAL,
  face_y        REAL,
  face_w        REAL,
  face_h        REAL,
  review_status TEXT NOT NULL DEFAULT 'to_review' CHECK (review_status IN ('to_review', 'verified', 'flagged')),
  note          TEXT NOT NULL DEFAULT '',
  attributes    TEXT,
  UNIQUE (dataset_id, path)
);
CREATE INDEX images_by_sha ON images (sha256);
CREATE INDEX images_by_dataset_split ON images (dataset_id, split);
CREATE INDEX images_by_path ON images (path);

-- One row per known label. A second coder's independent labels will get a table of their own;
-- set_by keeps who gave the current one.
CREATE TABLE labels (
  image_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  class_id  INTEGER NOT NULL REFERENCES classes(id),
  value     INTEGER NOT NULL CHECK (value IN (0, 1)),
  intensity REAL,
  soft      REAL,
  set_by    TEXT NOT NULL,
  set_at    INTEGER NOT NULL,
  PRIMARY KEY (image_id, class_id)
) WITHOUT ROWID;
CREATE INDEX labels_by_class ON labels (class_id, value, image_id);

-- Append-only: every change of a label, grouped by edit (one user action) for undo.
CREATE TABLE label_events (
  id            INTEGER PRIMARY KEY,
  edit_id       INTEGER NOT NULL,
  image_id      INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  class_id      INTEGER NOT NULL REFERENCES classes(id),
  old_value     INTEGER,
  new_value     INTEGER,
  old_intensity REAL,
  new_intensity REAL,
  who           TEXT NOT NULL,
  at            INTEGER NOT NULL,
  reason        TEXT NOT NULL DEFAULT '',
  undoes        INTEGER
);
CREATE INDEX label_events_by_image ON label_events (image_id, id);
CREATE INDEX label_events_by_edit ON label_events (edit_id);

CREATE TRIGGER label_events_append_only_update BEFORE UPDATE ON label_events
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;
CREATE TRIGGER label_events_append_only_delete BEFORE DELETE ON label_events
WHEN EXISTS (SELECT 1 FROM images WHERE id = OLD.image_id)
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;
`
