import type { ExperimentProtocol, LearningRateChoice } from '../../shared/contract/experiments'
import { ROLES, rolesOf, type Role } from './roles'
import type { ExperimentRunRow } from './store'

// What an experiment trains, in order: for each budget, each network role on the first seed at
// every learning rate of the search, then the other seeds at the rate that scored best on the
// validation split. The later seeds are only known once the search has scored, so the plan is
// recomputed from the stored runs each time (which is also what makes a resume skip finished runs).

export interface PlannedJob {
  key: string
  role: Role
  budget: number
  seed: number
  learningRate: number
  search: boolean
}

export const jobKey = (j: Omit<PlannedJob, 'key'>): string =>
  `${j.budget}/${j.role}/seed-${j.seed}/lr-${j.learningRate}${j.search ? '/search' : ''}`

const searching = (protocol: ExperimentProtocol): boolean => protocol.learningRates.length > 1

/** The search of one role at one budget: each learning rate tried, its validation score, the best. */
export function learningRateChoice(
  protocol: ExperimentProtocol,
  role: Role,
  budget: number,
  stored: ReadonlyMap<string, ExperimentRunRow>,
): LearningRateChoice {
  const tried = protocol.learningRates.map((learningRate) => {
    const row = stored.get(
      jobKey({ role, budget, seed: protocol.firstSeed, learningRate, search: searching(protocol) }),
    )
    return { learningRate, valScore: row?.val_score ?? null, runId: row?.run_id ?? null }
  })
  const scored = tried.filter((t) => t.valScore !== null)
  const complete = scored.length === tried.length
  const best = scored.reduce<(typeof tried)[number] | null>((b, t) => (!b || t.valScore! > b.valScore! ? t : b), null)
  return { role, budget, tried, chosen: complete ? (best?.learningRate ?? null) : null, scoredOn: ROLES[role].scoredOn }
}

/** Every job known so far, in training order, and how many there will be in all. */
export function planJobs(
  protocol: ExperimentProtocol,
  stored: ReadonlyMap<string, ExperimentRunRow>,
): { jobs: PlannedJob[]; total: number } {
  const jobs: PlannedJob[] = []
  const search = searching(protocol)
  const seeds = Array.from({ length: protocol.seeds - 1 }, (_, i) => protocol.firstSeed + 1 + i)
  const add = (j: Omit<PlannedJob, 'key'>) => jobs.push({ ...j, key: jobKey(j) })
  for (const budget of protocol.budgets) {
    const roles = rolesOf(protocol)
    for (const role of roles)
      for (const learningRate of protocol.learningRates)
        add({ role, budget, seed: protocol.firstSeed, learningRate, search })
    for (const seed of seeds)
      for (const role of roles) {
        const chosen = learningRateChoice(protocol, role, budget, stored).chosen
        if (chosen !== null) add({ role, budget, seed, learningRate: chosen, search: false })
      }
  }
  const perBudget = rolesOf(protocol).length * (protocol.learningRates.length + protocol.seeds - 1)
  return { jobs, total: perBudget * protocol.budgets.length }
}

/** The job that counts as a role's run on a seed: the chosen rate's search run on the first seed. */
export function seedJob(
  protocol: ExperimentProtocol,
  role: Role,
  budget: number,
  seed: number,
  stored: ReadonlyMap<string, ExperimentRunRow>,
): ExperimentRunRow | null {
  const chosen = learningRateChoice(protocol, role, budget, stored).chosen
  if (chosen === null) return null
  const search = seed === protocol.firstSeed && searching(protocol)
  return stored.get(jobKey({ role, budget, seed, learningRate: chosen, search })) ?? null
}
