// FACS intensity on labels (shared/intensity.ts): 1-5 = A-E on a present label, 1 (a dataset's
// trace) on an absent one, NULL otherwise. Intensities stored by earlier importers in the datasets'
// own scales are brought to that: 0 (DISFA's "none", CK+'s "not given") and values above 5 become
// NULL, fractions are rounded (CK+ files hold floats), an absent label keeps only a trace. The value
// of every label stays as it was; label_events keep what was logged. Triggers refuse anything else,
// and a partial index serves "AU12 at C or more" (taken 0007: 0006 is the faces work).
export default /* sql */ `
UPDATE labels SET intensity = CASE
    WHEN intensity <= 0 OR intensity > 5 THEN NULL
    WHEN value = 0 AND round(intensity) > 1 THEN NULL
    ELSE max(1, round(intensity))
  END
WHERE intensity IS NOT NULL AND (intensity != round(intensity) OR intensity <= 0 OR intensity > 5 OR (value = 0 AND intensity != 1));

CREATE TRIGGER labels_intensity_insert BEFORE INSERT ON labels
WHEN NEW.intensity IS NOT NULL AND NOT (NEW.intensity IN (1, 2, 3, 4, 5) AND (NEW.value = 1 OR NEW.intensity = 1))
BEGIN SELECT RAISE(ABORT, 'labels.intensity must be 1-5 (A-E) on a present label, 1 (a trace) or NULL on an absent one'); END;

CREATE TRIGGER labels_intensity_update BEFORE UPDATE OF value, intensity ON labels
WHEN NEW.intensity IS NOT NULL AND NOT (NEW.intensity IN (1, 2, 3, 4, 5) AND (NEW.value = 1 OR NEW.intensity = 1))
BEGIN SELECT RAISE(ABORT, 'labels.intensity must be 1-5 (A-E) on a present label, 1 (a trace) or NULL on an absent one'); END;

CREATE INDEX labels_by_intensity ON labels (class_id, intensity, image_id) WHERE intensity IS NOT NULL;
`
