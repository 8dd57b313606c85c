import { evaluateRun } from '../../training/evaluate-run'
import { predictRun } from '../../training/predict-job'
import { runBests } from '../../training/run-bests'
import { runMessages } from '../../training/run-messages'
import { runDetail } from '../../training/run-rows'
import { listRuns, resumeRun, startRun, stopRun } from '../../training/runs-service'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** runs.*: training runs, their trainers, scores and predictions. */
export const runsHandlers = (ctx: WorkbenchContext) => {
  const db = () => ctx.requireWorkspace().db
  return {
    'runs.start': ({ config, name }) => startRun(ctx, config, name),
    'runs.stop': ({ id }) => stopRun(ctx, id),
    'runs.resume': ({ id }) => resumeRun(ctx, id),
    'runs.list': () => listRuns(ctx),
    'runs.get': ({ id }) => runDetail(db(), id),
    'runs.evaluate': ({ id, split, datasets }) => evaluateRun(db(), id, split, datasets),
    'runs.predict': ({ id, datasetIds }) => predictRun(ctx, id, datasetIds),
    'runs.messages': ({ id }) => runMessages(db(), ctx.requireWorkspace().runsDir, id),
    'runs.bestMetrics': () => runBests(db()),
  } satisfies Partial<Handlers>
}
