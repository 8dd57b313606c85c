import type { ExperimentProtocol, ResultMethod } from '../../shared/contract/experiments'
import type { RunEvaluation } from '../../shared/contract'
import type { TrainingMethod } from '../../shared/run-config'

// The networks an experiment trains ("roles") and what each one is chosen and scored on. Single
// networks are one emotion network and one AU network (the paper's Fig. 1a); Table 4 adds a single
// compound network and SJMT over all three demo datasets.

export const DEMO_EMOTION = 'demo-emotion'
export const DEMO_AU = 'demo-au'
export const DEMO_COMPOUND = 'demo-compound'

export type Role = 'emotion' | 'au' | 'multitask' | 'sjmt' | 'sjmt-landmarks' | 'compound' | 'sjmt-compound'

export interface RoleSpec {
  method: TrainingMethod
  /** Also learns the 68 facial landmarks (the demo generator gives every face's). */
  landmarks?: boolean
  datasets: string[]
  /** Trains on at most the protocol's compoundPerClass demo-compound faces per class (Table 4's few-shot setting). */
  fewShotCompound?: boolean
  /** The datasets whose validation images choose its learning rate. */
  validateOn: string[]
  /** The validation score (higher is better) and what it is, in words. */
  valScore: (evaluation: RunEvaluation) => number | null
  scoredOn: string
}

const mean = (values: (number | null)[]): number | null =>
  values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0) / values.length

export const ROLES: Record<Role, RoleSpec> = {
  emotion: {
    method: 'single',
    datasets: [DEMO_EMOTION],
    validateOn: [DEMO_EMOTION],
    valScore: (e) => e.emotionAccuracy,
    scoredOn: 'validation emotion accuracy',
  },
  au: {
    method: 'single',
    datasets: [DEMO_AU],
    validateOn: [DEMO_AU],
    valScore: (e) => e.auF1Mean,
    scoredOn: 'validation mean AU F1',
  },
  multitask: {
    method: 'multitask',
    datasets: [DEMO_EMOTION, DEMO_AU],
    validateOn: [DEMO_EMOTION, DEMO_AU],
    valScore: (e) => mean([e.emotionAccuracy, e.auF1Mean]),
    scoredOn: 'mean of validation emotion accuracy and AU F1',
  },
  sjmt: {
    method: 'sjmt',
    datasets: [DEMO_EMOTION, DEMO_AU],
    validateOn: [DEMO_EMOTION, DEMO_AU],
    valScore: (e) => mean([e.emotionAccuracy, e.auF1Mean]),
    scoredOn: 'mean of validation emotion accuracy and AU F1',
  },
  'sjmt-landmarks': {
    method: 'sjmt',
    landmarks: true,
    datasets: [DEMO_EMOTION, DEMO_AU],
    validateOn: [DEMO_EMOTION, DEMO_AU],
    valScore: (e) => mean([e.emotionAccuracy, e.auF1Mean]),
    scoredOn: 'mean of validation emotion accuracy and AU F1',
  },
  compound: {
    method: 'single',
    datasets: [DEMO_COMPOUND],
    fewShotCompound: true,
    validateOn: [DEMO_COMPOUND],
    valScore: (e) => e.compound?.meanPerClassAccuracy ?? null,
    scoredOn: 'validation compound mean per-class accuracy',
  },
  'sjmt-compound': {
    method: 'sjmt',
    datasets: [DEMO_EMOTION, DEMO_AU, DEMO_COMPOUND],
    fewShotCompound: true,
    validateOn: [DEMO_COMPOUND],
    valScore: (e) => e.compound?.meanPerClassAccuracy ?? null,
    scoredOn: 'validation compound mean per-class accuracy',
  },
}

/** The networks behind each result row. */
export const ROLES_OF: Record<ResultMethod, Role[]> = {
  single: ['emotion', 'au'],
  multitask: ['multitask'],
  sjmt: ['sjmt'],
  'sjmt+landmarks': ['sjmt-landmarks'],
  'single-compound': ['compound'],
  'sjmt-compound': ['sjmt-compound'],
}

/** The result rows a protocol asks for, in table order. */
export function resultMethods(protocol: Pick<ExperimentProtocol, 'methods' | 'compound'>): ResultMethod[] {
  const table2 = (['single', 'multitask', 'sjmt', 'sjmt+landmarks'] as const).filter((m) =>
    protocol.methods.includes(m),
  )
  return protocol.compound ? [...table2, 'single-compound', 'sjmt-compound'] : table2
}

/** The roles a protocol trains, in order. */
export const rolesOf = (protocol: Pick<ExperimentProtocol, 'methods' | 'compound'>): Role[] =>
  resultMethods(protocol).flatMap((m) => ROLES_OF[m])

/**
 * Steps a role trains for a budget. steps: every network the same number of steps; images: every
 * method the same number of training images, so the two single networks (emotion and AU) each get half.
 */
export function stepsFor(role: Role, budget: number, kind: ExperimentProtocol['budgetKind']): number {
  const shared = kind === 'images' && (role === 'emotion' || role === 'au')
  return shared ? Math.floor(budget / 2) : budget
}
