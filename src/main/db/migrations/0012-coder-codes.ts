// Every code of one coder on one image as one short string, kept exact by triggers on every write of
// `codings`: agreement then reads one row per image and coder (200,000 rows for 100,000 double-coded
// images) instead of one per image, class and coder (8,000,000 at 40 classes), which no query can
// hand to JavaScript in under 2 s (issue 14's speed target). `codings` stays the truth; this is its
// index. Character i (1-based) is the code of class id i: '0' not coded, '1' absent, '2' present
// without intensity, '3'-'7' present at A-E. Trailing '0's are dropped; a row with no code is deleted.

/** The character of a coding row: `row` is NEW or OLD. */
const digit = (row: string) =>
  `CASE WHEN ${row}.value = 0 THEN '1' WHEN ${row}.intensity IS NULL THEN '2' ELSE char(50 + ${row}.intensity) END`

/** `codes` padded with '0's to at least `position` characters. */
const padded = (position: string) => `(codes || replace(hex(zeroblob(max(${position} - length(codes), 0))), '00', '0'))`

/** `codes` with the character at `position` replaced by `character`, trailing '0's dropped. */
const spliced = (position: string, character: string) =>
  `rtrim(substr(${padded(position)}, 1, ${position} - 1) || ${character} || substr(${padded(position)}, ${position} + 1), '0')`

const setCode = `
  INSERT INTO coder_codes (coder_id, image_id, codes)
  VALUES (NEW.coder_id, NEW.image_id, replace(hex(zeroblob(NEW.class_id - 1)), '00', '0') || ${digit('NEW')})
  ON CONFLICT (coder_id, image_id) DO UPDATE SET codes = ${spliced('NEW.class_id', digit('NEW'))};`

const clearCode = `
  UPDATE coder_codes SET codes = ${spliced('OLD.class_id', "'0'")} WHERE coder_id = OLD.coder_id AND image_id = OLD.image_id;
  DELETE FROM coder_codes WHERE coder_id = OLD.coder_id AND image_id = OLD.image_id AND codes = '';`

export default /* sql */ `
CREATE TABLE coder_codes (
  coder_id INTEGER NOT NULL REFERENCES coders(id),
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  codes    TEXT NOT NULL,
  PRIMARY KEY (coder_id, image_id)
) WITHOUT ROWID;

CREATE TRIGGER coder_codes_insert AFTER INSERT ON codings BEGIN ${setCode}
END;
CREATE TRIGGER coder_codes_delete AFTER DELETE ON codings BEGIN ${clearCode}
END;
CREATE TRIGGER coder_codes_update AFTER UPDATE OF image_id, class_id, coder_id, value, intensity ON codings BEGIN ${clearCode} ${setCode}
END;

-- The codings of earlier versions, through the same trigger.
UPDATE codings SET value = value;
`
