// Faces as catalogue items (issue 12). An item of the catalogue (a row of `images`) is either a
// whole image, as before, or one face cut from a source: a photo file today, a video frame
// tomorrow (issue 13). Additive only: every existing image becomes a whole-image item, its labels,
// edits, runs and predictions untouched.
//
// - source_path: the source file, relative to the dataset root, when the item is a face cut from
//   it; the item's `path` is then `<source_path>#face<N>` for a detected face (several per photo,
//   and `path` stays unique per dataset) or the file itself for a box the dataset gave. NULL: the
//   item's file is `path`.
// - source_kind / source_frame: 'photo', or 'frame' with the frame number when the source is a video
//   (source_path then names the video).
// - face_origin: where the box came from: 'whole' (no box: the image is a crop), 'detected' (the face
//   finder), 'dataset' (the dataset's own box), 'edited' (a coder moved it).
// - face_x/y/w/h (from 0001) hold the box in source pixels, EXIF orientation applied; face_score the
//   detector's score (NULL unless detected); face_landmarks the 68 points as JSON [[x, y], ...].
// - crop_sha256: the aligned crop in the workspace's crop cache (crops/ab/<sha>.png), which
//   thumbnails, training and prediction read; NULL for whole images.
// - not_a_face: a coder said so; the item stays (with its history) but is left out of training.
export default /* sql */ `
ALTER TABLE images ADD COLUMN source_path TEXT;
ALTER TABLE images ADD COLUMN source_kind TEXT NOT NULL DEFAULT 'photo' CHECK (source_kind IN ('photo', 'frame'));
ALTER TABLE images ADD COLUMN source_frame INTEGER;
ALTER TABLE images ADD COLUMN face_index INTEGER;
ALTER TABLE images ADD COLUMN face_origin TEXT NOT NULL DEFAULT 'whole' CHECK (face_origin IN ('whole', 'detected', 'dataset', 'edited'));
ALTER TABLE images ADD COLUMN face_score REAL;
ALTER TABLE images ADD COLUMN face_landmarks TEXT;
ALTER TABLE images ADD COLUMN crop_sha256 TEXT;
ALTER TABLE images ADD COLUMN not_a_face INTEGER NOT NULL DEFAULT 0 CHECK (not_a_face IN (0, 1));
CREATE INDEX images_by_source ON images (dataset_id, source_path) WHERE source_path IS NOT NULL;

-- Append-only: every change of a face's box or of "not a face", beside the label history.
CREATE TABLE face_edits (
  id                 INTEGER PRIMARY KEY,
  image_id           INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  old_box            TEXT,
  new_box            TEXT,
  old_not_a_face     INTEGER NOT NULL,
  new_not_a_face     INTEGER NOT NULL,
  old_crop_sha256    TEXT,
  new_crop_sha256    TEXT,
  who                TEXT NOT NULL,
  at                 INTEGER NOT NULL,
  reason             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX face_edits_by_image ON face_edits (image_id, id);
CREATE TRIGGER face_edits_append_only_update BEFORE UPDATE ON face_edits
BEGIN SELECT RAISE(ABORT, 'face_edits is append-only'); END;
CREATE TRIGGER face_edits_append_only_delete BEFORE DELETE ON face_edits
WHEN EXISTS (SELECT 1 FROM images WHERE id = OLD.image_id)
BEGIN SELECT RAISE(ABORT, 'face_edits is append-only'); END;
`
