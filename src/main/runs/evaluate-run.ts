import type { Database } from 'better-sqlite3'
import type { RunEvaluation, Split } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { EvaluationCoverage } from '../../shared/metrics/coverage'
import { evaluate } from '../../shared/metrics/evaluate'
import { listDatasets } from '../catalogue/datasets'
import { hiddenTruthScores } from '../insights/hidden-truth'
import { loadRunPredictions, type PredictedImage } from './run-predictions'
import { runRow } from './run-rows'

/**
 * The datasets an evaluation covers: those asked for, else the run's own and any other it has
 * predicted. Their images of the split are the denominator of the coverage.
 */
function coverageOf(
  db: Database,
  runId: number,
  split: Split,
  images: PredictedImage[],
  rows: number[],
  asked?: string[],
): EvaluationCoverage {
  const all = listDatasets(db)
  if (asked?.length) {
    const unknown = asked.filter((name) => !all.some((d) => d.name === name))
    if (unknown.length)
      throw new WorkbenchError(
        'invalid_arguments',
        `datasets: no dataset named ${unknown.map((n) => `"${n}"`).join(', ')} in this workspace (datasets: ${all.map((d) => d.name).join(', ') || 'none'}).`,
        { field: 'datasets', unknown },
      )
  }
  const names = new Set(
    asked?.length
      ? asked
      : [...(JSON.parse(runRow(db, runId).datasets) as string[]), ...images.map((img) => img.dataset)],
  )
  const inScope = all.filter((d) => names.has(d.name))
  const total = inScope.reduce((sum, d) => sum + d.splits[split], 0)
  return {
    datasets: inScope.map((d) => d.name),
    images: total,
    scored: rows.length,
    unpredicted: Math.max(0, total - rows.length),
  }
}

/**
 * Scores a run's stored predictions on one split (optionally of some datasets only) against the
 * catalogue's labels and, on demo data, the AUs of emotion-only images against the hidden truth;
 * says how many images of the split it scored and how many have no prediction from the run.
 */
export function evaluateRun(db: Database, runId: number, split: Split, datasets?: string[]): RunEvaluation {
  const { checkpoint, images, p } = loadRunPredictions(db, runId, split)
  const keep = datasets?.length ? new Set(datasets) : null
  const inScope = images.flatMap((img, row) => (!keep || keep.has(img.dataset) ? [row] : []))
  // One picture in several datasets (FER2013 and FER+) is scored once, from the first of them.
  const seen = new Set<string>()
  const rows = inScope.filter((row) => !seen.has(images[row].sha256) && seen.add(images[row].sha256))
  const coverage = coverageOf(db, runId, split, images, inScope, datasets)
  if (rows.length < inScope.length) {
    coverage.samePicture = inScope.length - rows.length
    coverage.scored = rows.length
  }
  const subset = keep || coverage.samePicture ? rows : undefined
  const hiddenTruth = hiddenTruthScores(p, images, subset)
  return { ...evaluate(p, subset ? { rows } : {}), runId, split, checkpoint, coverage, hiddenTruth }
}
