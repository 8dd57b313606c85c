import type { Database } from 'better-sqlite3'
import type { RunEvaluation, Split } from '../../shared/contract'
import { evaluate } from '../../shared/metrics/evaluate'
import { hiddenTruthScores } from './hidden-truth'
import { loadRunPredictions } from './run-predictions'

/**
 * Scores a run's stored predictions on one split (optionally of some datasets only) against the
 * catalogue's labels and, on demo data, the AUs of emotion-only images against the hidden truth.
 */
export function evaluateRun(db: Database, runId: number, split: Split, datasets?: string[]): RunEvaluation {
  const { checkpoint, images, p } = loadRunPredictions(db, runId, split)
  const rows = datasets?.length ? images.flatMap((img, row) => (datasets.includes(img.dataset) ? [row] : [])) : undefined
  const hiddenTruth = hiddenTruthScores(p, images, rows)
  return { ...evaluate(p, rows ? { rows } : {}), runId, split, checkpoint, hiddenTruth }
}
