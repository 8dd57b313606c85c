import { availableParallelism } from 'node:os'
import type { BackendName } from '../../../shared/contract/app'
import { EVAL_BATCH } from './evaluate'

// How many data-parallel workers a run uses, and the reason in words (the run's log shows it):
// wasm runs one thread per process, so every core takes a worker of its own; the native backends
// spread each kernel over TensorFlow's own threads, and a GPU computes on the GPU.

export interface ThreadPlan {
  /** Worker threads training shards of each batch; 1 = the trainer's own thread, no workers. */
  workers: number
  /** CPU threads the run asks of its backend (TensorFlow's intra-op threads for tfjs-node). */
  threads: number
  /** Why, in words: "2 workers: 2 cores". */
  reason: string
}

/**
 * Fewest images a worker trains per step: below it the exchange of weights and gradients costs more
 * than the shard's compute. (It was also where per-shard batch-norm statistics got noisy; the
 * workers now share them, parallel/exchange.ts, so a smaller shard would change speed only.)
 */
export const MIN_IMAGES_PER_WORKER = 16

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** The threads a run asks for (all cores when not set), capped at the machine's cores. */
export function threadsFor(
  asked: number | undefined,
  cores = availableParallelism(),
): { threads: number; note: string } {
  if (asked === undefined) return { threads: cores, note: plural(cores, 'core') }
  if (!Number.isInteger(asked) || asked < 1)
    throw new Error(`threads must be a whole number of at least 1 (got ${asked})`)
  if (asked > cores)
    return { threads: cores, note: `asked for ${asked} threads, this machine has ${plural(cores, 'core')}` }
  return { threads: asked, note: `asked for ${plural(asked, 'thread')}` }
}

/** Workers for a run on `backend` with batches of `batchSize` images. */
export function planThreads(
  asked: number | undefined,
  backend: BackendName,
  batchSize: number,
  cores = availableParallelism(),
): ThreadPlan {
  const { threads, note } = threadsFor(asked, cores)
  if (backend === 'native' || backend === 'gpu')
    return {
      workers: 1,
      threads,
      reason: `1 worker: tfjs-node spreads each kernel over ${plural(threads, 'thread')} (${note})`,
    }
  if (backend === 'webgpu') return { workers: 1, threads: 1, reason: '1 worker: webgpu computes on the GPU' }
  if (backend === 'cpu')
    return {
      workers: 1,
      threads: 1,
      reason: '1 worker: the cpu backend (plain JavaScript) has no data-parallel workers',
    }
  const fit = Math.max(1, Math.floor(batchSize / MIN_IMAGES_PER_WORKER))
  if (fit < threads)
    return {
      workers: fit,
      threads,
      reason: `${plural(fit, 'worker')}: batches of ${batchSize} images, at least ${MIN_IMAGES_PER_WORKER} per worker (${note})`,
    }
  return { workers: threads, threads, reason: `${plural(threads, 'worker')}: ${note}` }
}

/**
 * Fewest images a prediction starts workers for: each worker loads its own backend and network
 * (seconds on a busy machine), which a few batches do not win back.
 */
export const MIN_IMAGES_FOR_PREDICTION_WORKERS = 4 * EVAL_BATCH

/** Workers to predict `images` images in evaluation batches of EVAL_BATCH. */
export function planPrediction(
  asked: number | undefined,
  backend: BackendName,
  images: number,
  cores = availableParallelism(),
): ThreadPlan {
  const plan = planThreads(asked, backend, EVAL_BATCH, cores)
  if (plan.workers < 2 || images >= MIN_IMAGES_FOR_PREDICTION_WORKERS) return plan
  return {
    workers: 1,
    threads: plan.threads,
    reason: `1 worker: ${images} images to predict, fewer than the ${MIN_IMAGES_FOR_PREDICTION_WORKERS} that starting workers pays for`,
  }
}
