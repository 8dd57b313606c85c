import { WorkbenchError } from '../../../shared/errors'
import { evaluateRun } from '../../runs/evaluate-run'
import { predictRun } from '../../runs/predict-job'
import { predictPhotos } from '../../runs/predict-photos'
import { runBests } from '../../runs/run-bests'
import { runMessages } from '../../runs/run-messages'
import { runDetail } from '../../runs/run-rows'
import { listRuns, resumeRun, startRun, stopRun } from '../../runs/runs-service'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** runs.*: training runs, their trainers, scores and predictions. */
export const runsHandlers = (ctx: WorkbenchContext) => {
  const db = () => ctx.requireWorkspace().db
  /** Photo predictions in progress, by run: what stops each. */
  const photoJobs = new Map<number, AbortController>()
  return {
    'runs.start': ({ config, name }) => startRun(ctx, config, name),
    'runs.stop': ({ id }) => stopRun(ctx, id),
    'runs.resume': ({ id, backend }) => resumeRun(ctx, id, backend),
    'runs.list': () => listRuns(ctx),
    'runs.get': ({ id }) => runDetail(db(), id),
    'runs.evaluate': ({ id, split, datasets }) => evaluateRun(db(), id, split, datasets),
    'runs.predict': ({ id, datasetIds }) => predictRun(ctx, id, datasetIds),
    'runs.messages': ({ id }) => runMessages(db(), ctx.requireWorkspace().runsDir, id),
    'runs.bestMetrics': () => runBests(db()),
    'runs.predictPhotos': async ({ id, folder, name, minConfidence }) => {
      if (photoJobs.has(id))
        throw new WorkbenchError('conflict', `Run ${id} is already predicting a folder of photos.`, { id })
      const stop = new AbortController()
      photoJobs.set(id, stop)
      try {
        return await predictPhotos(ctx, { runId: id, folder, name, minConfidence, signal: stop.signal })
      } finally {
        photoJobs.delete(id)
        // The photos' dataset is in the catalogue however the job ended (unless its import was stopped).
        if (ctx.workspace) ctx.events.publish('workspace.changed', { workspace: ctx.workspace.info() })
      }
    },
    'runs.stopPredictPhotos': ({ id }) => {
      photoJobs.get(id)?.abort()
      return { stopped: photoJobs.has(id) }
    },
  } satisfies Partial<Handlers>
}
