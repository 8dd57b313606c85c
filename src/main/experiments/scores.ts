import type { Database } from 'better-sqlite3'
import type { ResultMethod } from '../../shared/contract/experiments'
import { fig2Score } from '../insights/fig2-score'
import { evaluateRun } from '../runs/evaluate-run'
import { DEMO_AU, DEMO_COMPOUND, DEMO_EMOTION, ROLES, type Role } from './roles'
import type { SeedMetrics } from './store'

// A method's scores on one seed, always on the test split: emotions on the emotion dataset's test
// faces, AUs on the AU dataset's, AUs on emotion-only faces and the Fig. 2 score against the
// generator's hidden truth, compound emotions (Table 4) on the compound dataset's.

/** The learning-rate search's score of a finished run on the validation split (higher is better). */
export function validationScore(db: Database, role: Role, runId: number): number | null {
  return ROLES[role].valScore(evaluateRun(db, runId, 'val', ROLES[role].validateOn))
}

function table2(db: Database, emotionRun: number, auRun: number): SeedMetrics {
  const e = evaluateRun(db, emotionRun, 'test', [DEMO_EMOTION])
  const a = evaluateRun(db, auRun, 'test', [DEMO_AU])
  const onEmotionFaces = auRun === emotionRun ? e : evaluateRun(db, auRun, 'test', [DEMO_EMOTION])
  const fig2 = fig2Score(db, { emotion: emotionRun, au: auRun }, 'test', [DEMO_EMOTION])
  return {
    emotionAccuracy: e.emotionAccuracy,
    meanPerClassAccuracy: e.meanPerClassAccuracy,
    auAccuracy: a.auAccuracyMean,
    auF1: a.auF1Mean,
    auF1EmotionOnly: onEmotionFaces.hiddenTruth?.auF1Mean ?? null,
    fig2Error: fig2.meanAbsoluteError.value,
    fig2Rank: fig2.spearman.value,
  }
}

/** A run's last validation value of a metric the trainer reports (the landmark NME: predictions hold classes only). */
function lastValidation(db: Database, runId: number, name: string): number | null {
  const row = db
    .prepare<[number, string], { value: number | null }>(
      "SELECT value FROM run_metrics WHERE run_id = ? AND split = 'val' AND name = ? ORDER BY step DESC LIMIT 1",
    )
    .get(runId, name)
  return row?.value ?? null
}

function table4(db: Database, run: number): SeedMetrics {
  const c = evaluateRun(db, run, 'test', [DEMO_COMPOUND]).compound
  return { compoundMeanPerClassAccuracy: c?.meanPerClassAccuracy ?? null, compoundAccuracy: c?.accuracy ?? null }
}

/** Scores of a result row's method from the runs of its roles (by role). */
export function methodScores(db: Database, method: ResultMethod, runs: Partial<Record<Role, number>>): SeedMetrics {
  switch (method) {
    case 'single':
      return table2(db, runs.emotion!, runs.au!)
    case 'multitask':
      return table2(db, runs.multitask!, runs.multitask!)
    case 'sjmt':
      return table2(db, runs.sjmt!, runs.sjmt!)
    case 'sjmt+landmarks': {
      const run = runs['sjmt-landmarks']!
      return { ...table2(db, run, run), landmarkNme: lastValidation(db, run, 'landmarkNme') }
    }
    case 'single-compound':
      return table4(db, runs.compound!)
    case 'sjmt-compound':
      return table4(db, runs['sjmt-compound']!)
  }
}
