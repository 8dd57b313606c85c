import type { Database } from 'better-sqlite3'
import type { AgreementReport } from '../../shared/contract'
import { classAgreement, coderMatrix, FACS_PASS_MARK } from '../../shared/statistics/agreement'
import type { Codings } from '../../shared/statistics/codings'
import { facsAgreementIndex } from '../../shared/statistics/facs-agreement-index'
import { icc31WithInterval } from '../../shared/statistics/icc'
import { scopedCodings, type AgreementScope, type ScopedCodings } from './agreement-codings'
import { modelAgreement } from './model-as-coder'

// What the Agreement view and `affect agreement --json` show: per class (each AU, and the emotion)
// every coefficient with n and its bootstrap 95% interval, ICC(3,1) where intensities are coded, the
// FACS agreement index over all AUs, a coder-by-coder matrix and the model as one more coder.

/** Codes of every AU laid end to end: one item per image and AU, for the coder matrix of AU-only data. */
function pooled(classes: Codings[]): Codings {
  const [first] = classes
  const codes = new Int32Array(classes.reduce((n, c) => n + c.codes.length, 0))
  let at = 0
  for (const c of classes) {
    codes.set(c.codes, at)
    at += c.codes.length
  }
  return { items: codes.length / first.coders, coders: first.coders, categories: 2, codes, label: 'AUs' }
}

type ReportScope = AgreementScope & { runId?: number; seed?: number }

/** The report of the Agreement view and `affect agreement`: the codings read, then their statistics. */
export function agreementReport(db: Database, scope: ReportScope): AgreementReport {
  return agreementStatistics(db, scopedCodings(db, scope), scope)
}

/** Every coefficient of codings already read (the second half of agreementReport; benchmarks time each half). */
export function agreementStatistics(db: Database, scoped: ScopedCodings, scope: ReportScope): AgreementReport {
  const options = { seed: scope.seed }
  const perClass: AgreementReport['perClass'] = {}
  for (const [code, codings] of scoped.classes) {
    const ratings = scoped.intensities.get(code)
    perClass[code] = {
      ...classAgreement(codings, options),
      ...(ratings ? { icc31: icc31WithInterval(ratings, options) } : {}),
    }
  }
  const aus = [...scoped.classes.entries()].filter(([code]) => code !== 'emotion').map(([, c]) => c)
  const two = scoped.coders.length === 2
  const emotion = scoped.classes.get('emotion')
  const matrixOf = emotion ?? (aus.length ? pooled(aus) : null)
  return {
    dataset: scoped.dataset,
    coders: scoped.coders.map((c) => c.name),
    images: scoped.imageIds.length,
    passMark: FACS_PASS_MARK,
    perClass,
    overallAgreementIndex: two && aus.length ? facsAgreementIndex(aus, options) : null,
    coderMatrix: matrixOf ? coderMatrix(matrixOf) : [],
    model: modelAgreement(db, scoped.imageIds, scope.runId, scope.seed),
  }
}
