// One emotion per image, enforced by the label services: datasets say whether their images may carry
// several emotions at once (FER+ crowd votes); label edits too big for one transaction are written
// in chunks under an edit id reserved first; and the grid's keyset paging gets a narrow index of
// image ids (taken 0005: 0004 belongs to the runs work).
export default /* sql */ `
ALTER TABLE datasets ADD COLUMN multi_label INTEGER NOT NULL DEFAULT 0 CHECK (multi_label IN (0, 1));
UPDATE datasets SET multi_label = 1 WHERE format = 'ferplus';

-- An edit being written in chunks. The row goes when its last chunk is committed; a row left by a
-- process that died (or marked failed) is rolled back when the workspace is next opened.
CREATE TABLE label_edits_in_progress (
  edit_id    INTEGER PRIMARY KEY,
  pid        INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  status     TEXT NOT NULL DEFAULT 'applying' CHECK (status IN ('applying', 'failed'))
);

-- The image ids in order, without the rest of each row: walking to the 500,000th image of the grid
-- (to note its page anchors, see page-anchors.ts) reads a few MB instead of the whole table.
CREATE INDEX images_by_id ON images (id);
`
