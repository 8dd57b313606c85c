import type { Database } from 'better-sqlite3'
import type { RunEvaluation, Split } from '../../shared/contract'
import { evaluate } from '../../shared/metrics/evaluate'
import { hiddenTruthScores } from './hidden-truth'
import { loadRunPredictions } from './run-predictions'

/** Scores a run's stored predictions on one split against the catalogue's labels (and, on demo data, the hidden truth). */
export function evaluateRun(db: Database, runId: number, split: Split): RunEvaluation {
  const { checkpoint, images, p } = loadRunPredictions(db, runId, split)
  return { ...evaluate(p), runId, split, checkpoint, hiddenTruth: hiddenTruthScores(p, images) }
}
