import type { BackendName } from '../../../shared/contract/app'
import { RunWorkers } from '../backend/parallel/pool'
import type { RunModel } from '../backend/parallel/protocol'
import type { Network } from '../network'
import type { Send } from './prepare'
import { planPrediction, planThreads } from './threads'

// Starts a run's (or a prediction's) data-parallel workers as the thread plan says, and says why
// in the run's log. Workers that cannot start leave the run in the trainer's own thread, with a
// warning naming the reason: slower, but the run goes on.

export async function startWorkers(
  net: Network,
  /** What the workers' loss learns: the heads' label layout, the classes, the landmark weight. */
  task: Omit<RunModel, 'spec'>,
  plan: { asked: number | undefined; backend: BackendName; batchSize: number; images?: number },
  send: Send,
): Promise<RunWorkers | null> {
  const { workers, reason } =
    plan.images === undefined
      ? planThreads(plan.asked, plan.backend, plan.batchSize)
      : planPrediction(plan.asked, plan.backend, plan.images)
  send({ type: 'log', level: 'info', message: reason })
  if (workers < 2) return null
  try {
    return await RunWorkers.start({ spec: net.spec, ...task, views: [...task.views] }, workers)
  } catch (error) {
    send({
      type: 'log',
      level: 'warn',
      message: `the ${workers} data-parallel workers did not start (${error instanceof Error ? error.message : String(error)}): training in 1 thread instead`,
    })
    return null
  }
}
