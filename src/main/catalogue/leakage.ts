import type { Database } from 'better-sqlite3'
import type { Split } from '../../shared/contract'
import { prepared } from '../db/statements'

// One picture may belong to several datasets (FER+ relabels FER2013's images). A picture that is in
// a training split of one dataset and in the validation or test split of another leaks: a network
// trained on the first is scored on what it has seen. Pictures are the same when their bytes are
// (images.sha256: the file, or the source photo of a face).

/** Whether a picture in split `a` of one dataset and `b` of another leaks. */
export const leaks = (a: Split, b: Split): boolean => (a === 'train') !== (b === 'train')

export interface Leak {
  sha256: string
  /** Where the picture is for training, and where it is held out (dataset/path). */
  train: string
  heldOut: string
}

/** Every leaking picture of the catalogue once (the first pair of places found for it). */
export function leakingPictures(db: Database): Leak[] {
  return prepared<Leak>(
    db,
    `SELECT a.sha256, min(da.name || '/' || a.path) AS train, min(db.name || '/' || b.path) AS heldOut
     FROM images a JOIN images b ON b.sha256 = a.sha256 AND b.dataset_id <> a.dataset_id
     JOIN datasets da ON da.id = a.dataset_id JOIN datasets db ON db.id = b.dataset_id
     WHERE a.split = 'train' AND b.split IN ('val', 'test')
     GROUP BY a.sha256 ORDER BY a.sha256`,
  ).all()
}

/** Where another dataset than `datasetId` holds the picture in a split that leaks against `split`. */
export function leakOf(
  db: Database,
  datasetId: number | null,
  sha256: string,
  split: Split,
): { dataset: string; path: string; split: Split } | undefined {
  const others = prepared<{ dataset: string; path: string; split: Split }>(
    db,
    'SELECT d.name AS dataset, i.path, i.split FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.sha256 = ? AND i.dataset_id <> ?',
  ).all(sha256, datasetId ?? -1)
  return others.find((o) => leaks(split, o.split))
}
