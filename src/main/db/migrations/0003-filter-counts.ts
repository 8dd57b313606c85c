// Counts that keep a million-image catalogue responsive: how many images, and how many labels of
// each class and value, per dataset and split (and review status), kept exact by triggers on every
// write path; and a trigram index of image paths for "path contains" filters.
export default /* sql */ `
CREATE TABLE image_counts (
  dataset_id    INTEGER NOT NULL,
  split         TEXT NOT NULL,
  review_status TEXT NOT NULL,
  n             INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, split, review_status)
) WITHOUT ROWID;

CREATE TABLE label_counts (
  dataset_id INTEGER NOT NULL,
  split      TEXT NOT NULL,
  class_id   INTEGER NOT NULL,
  value      INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (class_id, value, dataset_id, split)
) WITHOUT ROWID;

INSERT INTO image_counts SELECT dataset_id, split, review_status, count(*) FROM images GROUP BY 1, 2, 3;
INSERT INTO label_counts SELECT i.dataset_id, i.split, l.class_id, l.value, count(*) FROM labels l JOIN images i ON i.id = l.image_id GROUP BY 1, 2, 3, 4;

CREATE TRIGGER images_count_insert AFTER INSERT ON images BEGIN
  INSERT INTO image_counts VALUES (NEW.dataset_id, NEW.split, NEW.review_status, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Labels go first, while the image row still says which dataset and split they counted in.
CREATE TRIGGER images_count_delete BEFORE DELETE ON images BEGIN
  DELETE FROM labels WHERE image_id = OLD.id;
  UPDATE image_counts SET n = n - 1 WHERE dataset_id = OLD.dataset_id AND split = OLD.split AND review_status = OLD.review_status;
END;

CREATE TRIGGER images_count_update AFTER UPDATE OF dataset_id, split, review_status ON images BEGIN
  UPDATE image_counts SET n = n - 1 WHERE dataset_id = OLD.dataset_id AND split = OLD.split AND review_status = OLD.review_status;
  INSERT INTO image_counts VALUES (NEW.dataset_id, NEW.split, NEW.review_status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
  UPDATE label_counts SET n = n - (SELECT count(*) FROM labels l WHERE l.image_id = NEW.id AND l.class_id = label_counts.class_id AND l.value = label_counts.value)
    WHERE dataset_id = OLD.dataset_id AND split = OLD.split AND (OLD.dataset_id != NEW.dataset_id OR OLD.split != NEW.split)
      AND class_id IN (SELECT class_id FROM labels WHERE image_id = NEW.id);
  INSERT INTO label_counts SELECT NEW.dataset_id, NEW.split, class_id, value, 1 FROM labels
    WHERE image_id = NEW.id AND (OLD.dataset_id != NEW.dataset_id OR OLD.split != NEW.split) AND true
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER labels_count_insert AFTER INSERT ON labels BEGIN
  INSERT INTO label_counts SELECT dataset_id, split, NEW.class_id, NEW.value, 1 FROM images WHERE id = NEW.image_id AND true
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER labels_count_delete AFTER DELETE ON labels BEGIN
  UPDATE label_counts SET n = n - 1
  WHERE (class_id, value, dataset_id, split) = (SELECT OLD.class_id, OLD.value, dataset_id, split FROM images WHERE id = OLD.image_id);
END;

CREATE TRIGGER labels_count_update AFTER UPDATE OF value ON labels WHEN OLD.value != NEW.value BEGIN
  UPDATE label_counts SET n = n - 1
  WHERE (class_id, value, dataset_id, split) = (SELECT OLD.class_id, OLD.value, dataset_id, split FROM images WHERE id = OLD.image_id);
  INSERT INTO label_counts SELECT dataset_id, split, NEW.class_id, NEW.value, 1 FROM images WHERE id = NEW.image_id AND true
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Single-column indexes list rows in id order within a value: a page sorted by id needs no sort.
CREATE INDEX images_by_review ON images (review_status);
CREATE INDEX images_by_dataset ON images (dataset_id);
CREATE INDEX images_by_split ON images (split);

CREATE VIRTUAL TABLE image_paths USING fts5(path, content = 'images', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO image_paths (image_paths) VALUES ('rebuild');
CREATE TRIGGER image_paths_insert AFTER INSERT ON images BEGIN
  INSERT INTO image_paths (rowid, path) VALUES (NEW.id, NEW.path);
END;
CREATE TRIGGER image_paths_delete AFTER DELETE ON images BEGIN
  INSERT INTO image_paths (image_paths, rowid, path) VALUES ('delete', OLD.id, OLD.path);
END;
CREATE TRIGGER image_paths_update AFTER UPDATE OF path ON images BEGIN
  INSERT INTO image_paths (image_paths, rowid, path) VALUES ('delete', OLD.id, OLD.path);
  INSERT INTO image_paths (rowid, path) VALUES (NEW.id, NEW.path);
END;
`
