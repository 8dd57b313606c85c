import type { Database } from 'better-sqlite3'
import type { Split } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { Predictions } from '../../shared/metrics/types'
import { classIndex } from '../catalogue/classes'
import type { DatasetRow, ImageRow } from '../catalogue/catalogue-rows'
import type { LabelRow } from '../labels/label-rows'
import { plucked, prepared } from '../db/statements'
import { filePath } from '../workspace/stored-paths'
import type { PredictionRow, PredictionSetRow } from './run-rows'

/** The classes a run predicted, in catalogue order. */
export function predictedClassIds(db: Database, runId: number): number[] {
  return plucked<number>(
    db,
    'SELECT DISTINCT p.class_id FROM predictions p JOIN classes c ON c.id = p.class_id WHERE p.run_id = ? ORDER BY c.position',
  ).all(runId)
}

/** An image with a prediction; `root` is its dataset's folder (absolute, wherever the workspace is now). */
export interface PredictedImage {
  id: number
  datasetId: number
  dataset: string
  root: string
  path: string
  split: Split
  /** The picture's content hash: the same picture in two datasets has the same one. */
  sha256: string
}

/** An image row with its dataset's name and (stored) root. */
type PredictedImageRow = Pick<ImageRow, 'id' | 'dataset_id' | 'path' | 'split' | 'sha256'> & {
  dataset: DatasetRow['name']
  root: DatasetRow['root']
}

/** A run's stored predictions as matrices, with the catalogue's current labels beside them. */
export interface RunPredictions {
  checkpoint: string
  images: PredictedImage[]
  p: Predictions
  classIds: number[]
}

/** Loads the latest prediction of a run (optionally one split) in the union layout of its classes. */
export function loadRunPredictions(db: Database, runId: number, split?: Split): RunPredictions {
  const checkpoint = plucked<PredictionSetRow['checkpoint']>(
    db,
    'SELECT checkpoint FROM prediction_sets WHERE run_id = ?',
  ).get(runId)
  if (checkpoint === undefined)
    throw new WorkbenchError(
      'not_found',
      `Run ${runId} has no predictions yet: let it finish, or run \`affect predict --run ${runId}\`.`,
      { id: runId },
    )
  const classes = classIndex(db)
  const classIds = predictedClassIds(db, runId)
  const column = new Map(classIds.map((id, i) => [id, i]))
  const imageRows = prepared<PredictedImageRow>(
    db,
    `SELECT i.id, i.dataset_id, d.name AS dataset, d.root, i.path, i.split, i.sha256 FROM images i JOIN datasets d ON d.id = i.dataset_id
    WHERE i.id IN (SELECT DISTINCT image_id FROM predictions WHERE run_id = ?) ${split ? 'AND i.split = ?' : ''} ORDER BY i.id`,
  ).all(...(split ? [runId, split] : [runId]))
  const roots = new Map<string, string>()
  const rootOf = (stored: string): string => {
    if (!roots.has(stored)) roots.set(stored, filePath(db, stored))
    return roots.get(stored)!
  }
  const images: PredictedImage[] = imageRows.map((r) => ({
    id: r.id,
    datasetId: r.dataset_id,
    dataset: r.dataset,
    root: rootOf(r.root),
    path: r.path,
    split: r.split,
    sha256: r.sha256,
  }))
  const row = new Map(images.map((img, i) => [img.id, i]))
  const n = classIds.length
  const probabilities = new Float32Array(images.length * n).fill(Number.NaN)
  const labels = new Uint8Array(images.length * n)
  const mask = new Uint8Array(images.length * n)
  for (const r of prepared<Omit<PredictionRow, 'run_id'>>(
    db,
    'SELECT image_id, class_id, probability FROM predictions WHERE run_id = ?',
  ).iterate(runId)) {
    const i = row.get(r.image_id)
    if (i !== undefined) probabilities[i * n + column.get(r.class_id)!] = r.probability
  }
  for (const r of prepared<Pick<LabelRow, 'image_id' | 'class_id' | 'value'>>(
    db,
    'SELECT l.image_id, l.class_id, l.value FROM labels l WHERE l.image_id IN (SELECT DISTINCT image_id FROM predictions WHERE run_id = ?)',
  ).iterate(runId)) {
    const i = row.get(r.image_id)
    const c = column.get(r.class_id)
    if (i === undefined || c === undefined) continue
    labels[i * n + c] = r.value
    mask[i * n + c] = 1
  }
  return {
    checkpoint: filePath(db, checkpoint),
    images,
    classIds,
    p: {
      classes: classIds.map((id) => {
        const cls = classes.list.find((c) => c.code === classes.code(id))!
        return { code: cls.code, kind: cls.kind }
      }),
      probabilities,
      labels,
      mask,
    },
  }
}
