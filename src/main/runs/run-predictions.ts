import type { Database } from 'better-sqlite3'
import type { Split } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { Predictions } from '../../shared/metrics/types'
import { classIndex } from '../catalogue/classes'
import { prepared } from '../db/statements'
import { filePath } from '../workspace/stored-paths'

/** An image with a prediction; `root` is its dataset's folder (absolute, wherever the workspace is now). */
export interface PredictedImage { id: number; datasetId: number; dataset: string; root: string; path: string; split: Split }

/** A run's stored predictions as matrices, with the catalogue's current labels beside them. */
export interface RunPredictions { checkpoint: string; images: PredictedImage[]; p: Predictions; classIds: number[] }

/** Loads the latest prediction of a run (optionally one split) in the union layout of its classes. */
export function loadRunPredictions(db: Database, runId: number, split?: Split): RunPredictions {
  const set = prepared(db, 'SELECT checkpoint FROM prediction_sets WHERE run_id = ?').get(runId) as { checkpoint: string } | undefined
  if (!set) throw new WorkbenchError('not_found', `Run ${runId} has no predictions yet: let it finish, or run \`affect predict --run ${runId}\`.`, { id: runId })
  const classes = classIndex(db)
  const classIds = (prepared(db, 'SELECT DISTINCT p.class_id FROM predictions p JOIN classes c ON c.id = p.class_id WHERE p.run_id = ? ORDER BY c.position').all(runId) as { class_id: number }[]).map((r) => r.class_id)
  const column = new Map(classIds.map((id, i) => [id, i]))
  const images = prepared(db, `SELECT i.id, i.dataset_id AS datasetId, d.name AS dataset, d.root, i.path, i.split FROM images i JOIN datasets d ON d.id = i.dataset_id
    WHERE i.id IN (SELECT DISTINCT image_id FROM predictions WHERE run_id = ?) ${split ? 'AND i.split = ?' : ''} ORDER BY i.id`).all(...(split ? [runId, split] : [runId])) as PredictedImage[]
  const roots = new Map<string, string>()
  for (const img of images) {
    if (!roots.has(img.root)) roots.set(img.root, filePath(db, img.root))
    img.root = roots.get(img.root)!
  }
  const row = new Map(images.map((img, i) => [img.id, i]))
  const n = classIds.length
  const probabilities = new Float32Array(images.length * n).fill(Number.NaN)
  const labels = new Uint8Array(images.length * n)
  const mask = new Uint8Array(images.length * n)
  for (const r of prepared(db, 'SELECT image_id, class_id, probability FROM predictions WHERE run_id = ?').iterate(runId) as Iterable<{ image_id: number; class_id: number; probability: number }>) {
    const i = row.get(r.image_id)
    if (i !== undefined) probabilities[i * n + column.get(r.class_id)!] = r.probability
  }
  for (const r of prepared(db, 'SELECT l.image_id, l.class_id, l.value FROM labels l WHERE l.image_id IN (SELECT DISTINCT image_id FROM predictions WHERE run_id = ?)').iterate(runId) as Iterable<{ image_id: number; class_id: number; value: number }>) {
    const i = row.get(r.image_id)
    const c = column.get(r.class_id)
    if (i === undefined || c === undefined) continue
    labels[i * n + c] = r.value
    mask[i * n + c] = 1
  }
  return {
    checkpoint: filePath(db, set.checkpoint),
    images,
    classIds,
    p: { classes: classIds.map((id) => { const cls = classes.list.find((c) => c.code === classes.code(id))!; return { code: cls.code, kind: cls.kind } }), probabilities, labels, mask },
  }
}
