import { bootstrapCounts, type BootstrapOptions, type CountStatistic } from './bootstrap'
import { tallyPatterns, type CodePatterns, type Codings } from './codings'
import { undefinedBecause, type Coefficient, type Estimate } from './estimate'
import { agreementIndexOf, indexPatternsOfClass, type NeitherScored } from './facs-agreement-index'
import { cohenKappa, fleissKappa, type KappaWeights } from './kappa'
import { krippendorffAlpha } from './krippendorff'

// Everything the Agreement view and `affect agreement` report for one class (an AU, or the
// emotion): Cohen's kappa for a pair of coders, Fleiss' kappa and Krippendorff's alpha for all
// coders, the FACS agreement index for the pair, each with n and a percentile bootstrap 95%
// interval over items drawn from the same resamples. One pass over the codes, then patterns only.

/** The FACS final test's pass mark, drawn beside the coefficients. */
export const FACS_PASS_MARK = 0.7

export interface AgreementOptions extends BootstrapOptions {
  /** The two coders of Cohen's kappa and the agreement index (default: coders 0 and 1 when there are exactly two). */
  pair?: readonly [number, number]
  /** Cohen's kappa weights for ordered codes (default none: nominal). */
  weights?: KappaWeights
  /** What an image where neither coder scored the AU counts as in the agreement index (default: left out). */
  neitherScored?: NeitherScored
}

export interface ClassAgreement {
  label?: string
  coders: number
  /** Items given. */
  items: number
  /** Items with codes from two or more coders. */
  n: number
  cohenKappa: Coefficient
  fleissKappa: Coefficient
  krippendorffAlpha: Coefficient
  /** The FACS agreement index restricted to this class, for the pair: a / (a + b + c) when leaving out images neither scored. */
  agreementIndex: Coefficient
}

function pairOf(patterns: CodePatterns, options: AgreementOptions): readonly [number, number] | string {
  if (options.pair) return options.pair
  if (patterns.coders === 2) return [0, 1]
  return `${patterns.coders} coders: Cohen's kappa and the agreement index compare two (choose a pair, or read Fleiss' kappa)`
}

type Scored = { estimate: Estimate; statistic: CountStatistic }

/** A statistic of all the coders' patterns, with the statistic a bootstrap resample is scored with. */
const ofAll = (score: (counts?: Float64Array) => Estimate): Scored => ({
  estimate: score(),
  statistic: (counts) => score(counts).value,
})

/** The point estimates and, for each, the statistic a bootstrap resample is scored with. */
function statisticsOf(patterns: CodePatterns, options: AgreementOptions): Scored[] {
  const pair = pairOf(patterns, options)
  if (typeof pair === 'string') {
    const none: Scored = { estimate: undefinedBecause(pair, 0), statistic: () => null }
    return [
      none,
      ofAll((counts) => fleissKappa(patterns, counts)),
      ofAll((counts) => krippendorffAlpha(patterns, counts)),
      none,
    ]
  }
  const index = indexPatternsOfClass(patterns, pair)
  return [
    ofAll((counts) => cohenKappa(patterns, { coders: pair, weights: options.weights }, counts)),
    ofAll((counts) => fleissKappa(patterns, counts)),
    ofAll((counts) => krippendorffAlpha(patterns, counts)),
    ofAll((counts) => agreementIndexOf(index, options.neitherScored, counts)),
  ]
}

/** Agreement on one class, from its codings (items x coders). */
export function classAgreement(codings: Codings, options: AgreementOptions = {}): ClassAgreement {
  return agreementOfPatterns(tallyPatterns(codings), options, codings.label)
}

/** The same from already tallied patterns (e.g. to add the model as one more coder without re-reading). */
export function agreementOfPatterns(
  patterns: CodePatterns,
  options: AgreementOptions = {},
  label?: string,
): ClassAgreement {
  const statistics = statisticsOf(patterns, options)
  const live = statistics.filter((s) => s.estimate.value !== null)
  const intervals = bootstrapCounts(
    patterns.counts,
    live.map((s) => s.statistic),
    options,
  )
  const [cohen, fleiss, alpha, index] = statistics.map((s): Coefficient => {
    if (s.estimate.value === null) return { ...s.estimate, ci95: null, ciReason: s.estimate.reason }
    const { ci95 } = intervals[live.indexOf(s)]
    return ci95
      ? { ...s.estimate, ci95 }
      : { ...s.estimate, ci95: null, ciReason: 'undefined in most bootstrap resamples' }
  })
  const n = patterns.counts.reduce((sum, w, p) => sum + (patterns.coded[p] >= 2 ? w : 0), 0)
  return {
    label,
    coders: patterns.coders,
    items: patterns.items,
    n,
    cohenKappa: cohen,
    fleissKappa: fleiss,
    krippendorffAlpha: alpha,
    agreementIndex: index,
  }
}

/**
 * The coder-by-coder matrix of Cohen's kappa (issue 14: who agrees with whom; the model can be one
 * more column of the codings). matrix[a][b] for a ≠ b; the diagonal is null.
 */
export function coderMatrix(codings: Codings, options: { weights?: KappaWeights } = {}): (Estimate | null)[][] {
  return coderMatrixOfPatterns(tallyPatterns(codings), options)
}

/** The same from already tallied patterns. */
export function coderMatrixOfPatterns(
  patterns: CodePatterns,
  options: { weights?: KappaWeights } = {},
): (Estimate | null)[][] {
  return Array.from({ length: patterns.coders }, (_, a) =>
    Array.from({ length: patterns.coders }, (_, b) =>
      a === b ? null : cohenKappa(patterns, { coders: [a, b], weights: options.weights }),
    ),
  )
}
