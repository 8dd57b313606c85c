import type { Database } from 'better-sqlite3'
import type { ModelAgreement } from '../../shared/contract'
import { classAgreement } from '../../shared/statistics/agreement'
import { MISSING, type Codings } from '../../shared/statistics/codings'
import { classIndex } from '../catalogue/classes'
import { newestPredictedRun, predictedAt } from '../catalogue/prediction-scores'
import { prepared } from '../db/statements'

// The model as one more coder (issue 14): its predictions thresholded (an AU present at p >= 0.5,
// the emotion its arg-max) against the consensus labels, on the same images and the same scale
// (Cohen's kappa with its interval) as the coders.

export const MODEL_THRESHOLD = 0.5

export function modelAgreement(
  db: Database,
  imageIds: number[],
  runId: number | undefined,
  seed: number | undefined,
): ModelAgreement | null {
  const run = runId ?? newestPredictedRun(db)
  if (run === null) return null
  predictedAt(db, run)
  const classes = classIndex(db)
  const item = new Map(imageIds.map((id, n) => [id, n]))
  const emotions = classes.list.filter((c) => c.kind === 'emotion').map((c) => classes.id(c.code))
  const aus = classes.list.filter((c) => c.kind === 'au').map((c) => classes.id(c.code))
  const blank = () => new Int32Array(imageIds.length * 2).fill(MISSING)
  const codes = new Map<number, Int32Array>([...aus, -1].map((id) => [id, blank()]))
  const best = new Float64Array(imageIds.length).fill(-1)
  const ids = JSON.stringify(imageIds)
  for (const r of prepared<{ image_id: number; class_id: number; probability: number }>(
    db,
    'SELECT image_id, class_id, probability FROM predictions WHERE run_id = ? AND image_id IN (SELECT value FROM json_each(?))',
  ).iterate(run, ids)) {
    const n = item.get(r.image_id)!
    if (emotions.includes(r.class_id)) {
      if (r.probability > best[n]) {
        best[n] = r.probability
        codes.get(-1)![n * 2 + 1] = emotions.indexOf(r.class_id)
      }
    } else codes.get(r.class_id)?.set([r.probability >= MODEL_THRESHOLD ? 1 : 0], n * 2 + 1)
  }
  for (const r of prepared<{ image_id: number; class_id: number; value: number }>(
    db,
    'SELECT image_id, class_id, value FROM labels WHERE image_id IN (SELECT value FROM json_each(?))',
  ).iterate(ids)) {
    const n = item.get(r.image_id)!
    if (emotions.includes(r.class_id)) {
      if (r.value === 1) codes.get(-1)![n * 2] = emotions.indexOf(r.class_id)
    } else codes.get(r.class_id)?.set([r.value], n * 2)
  }
  const perClass: ModelAgreement['perClass'] = {}
  for (const [classId, array] of codes) {
    const label = classId === -1 ? 'emotion' : classes.code(classId)
    const coded = array.some((c, i) => i % 2 === 0 && c !== MISSING)
    if (!coded) continue
    const codings: Codings = {
      items: imageIds.length,
      coders: 2,
      categories: classId === -1 ? emotions.length : 2,
      codes: array,
      label,
    }
    perClass[label] = classAgreement(codings, { seed }).cohenKappa
  }
  return { runId: run, threshold: MODEL_THRESHOLD, perClass }
}
