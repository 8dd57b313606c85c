import type { Database } from 'better-sqlite3'
import type { AgreementReport } from '../../shared/contract'
import { agreementOfPatterns, coderMatrixOfPatterns, FACS_PASS_MARK } from '../../shared/statistics/agreement'
import { pooledPatterns } from '../../shared/statistics/codings'
import { agreementIndexWithInterval } from '../../shared/statistics/facs-agreement-index'
import { icc31OfPatterns } from '../../shared/statistics/icc'
import { scopedCodings, type AgreementScope, type ScopedCodings } from './agreement-codings'
import { modelAgreement } from './model-as-coder'

// What the Agreement view and `affect agreement --json` show: per class (each AU, and the emotion)
// every coefficient with n and its bootstrap 95% interval, ICC(3,1) where intensities are coded, the
// FACS agreement index over all AUs, a coder-by-coder matrix and the model as one more coder. Each
// is computed from the tables of codes (agreement-tables.ts), never from the images one by one.

type ReportScope = AgreementScope & { runId?: number; seed?: number }

/** The report of the Agreement view and `affect agreement`: the codings read, then their statistics. */
export function agreementReport(db: Database, scope: ReportScope): AgreementReport {
  return agreementStatistics(db, scopedCodings(db, scope), scope)
}

/** Every coefficient of codings already read (the second half of agreementReport; benchmarks time each half). */
export function agreementStatistics(db: Database, scoped: ScopedCodings, scope: ReportScope): AgreementReport {
  const options = { seed: scope.seed }
  const perClass: AgreementReport['perClass'] = {}
  for (const [code, patterns] of scoped.classes) {
    const ratings = scoped.intensities.get(code)
    perClass[code] = {
      ...agreementOfPatterns(patterns, options, code),
      ...(ratings ? { icc31: icc31OfPatterns(ratings, options) } : {}),
    }
  }
  const aus = [...scoped.classes.entries()].filter(([code]) => code !== 'emotion').map(([, c]) => c)
  const emotion = scoped.classes.get('emotion')
  // Codes of every AU pooled: the coder matrix of AU-only data.
  const matrixOf = emotion ?? (aus.length ? pooledPatterns(aus) : null)
  return {
    dataset: scoped.dataset,
    coders: scoped.coders.map((c) => c.name),
    images: scoped.imageIds.length,
    passMark: FACS_PASS_MARK,
    perClass,
    overallAgreementIndex:
      scoped.agreementIndex && aus.length ? agreementIndexWithInterval(scoped.agreementIndex, options) : null,
    coderMatrix: matrixOf ? coderMatrixOfPatterns(matrixOf) : [],
    model: modelAgreement(db, scoped.imageIds, scope.runId, scope.seed),
  }
}
