import {
  experimentDetail,
  listExperiments,
  resumeExperiment,
  startExperiment,
  stopExperiment,
} from '../../experiments/experiments-service'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** experiments.*: the paper's comparison as a protocol over seeds and budgets (issue 16). */
export const experimentsHandlers = (ctx: WorkbenchContext) =>
  ({
    'experiments.start': ({ protocol }) => startExperiment(ctx, protocol),
    'experiments.list': () => listExperiments(ctx),
    'experiments.get': ({ id }) => experimentDetail(ctx, id),
    'experiments.stop': ({ id }) => stopExperiment(ctx, id),
    'experiments.resume': ({ id }) => resumeExperiment(ctx, id),
  }) satisfies Partial<Handlers>
