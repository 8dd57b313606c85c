import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Batch } from '../../data/batch'
import { batchCounts, type BatchCounts } from '../../loss/batch-counts'
import { batchRows } from '../../loop/batch-split'
import type { Network } from '../../network'
import { exchangeBuffer, SharedExchange } from './exchange'
import {
  sharedSize,
  slotOffset,
  statisticsCapacity,
  weightsSize,
  type FromWorker,
  type Layout,
  type RunModel,
  type ToWorker,
} from './protocol'

/*
 * A run's data-parallel workers: the wasm backend runs one thread per process, so each worker
 * thread runs its own wasm backend on its shard of each batch (synchronous SGD: every step waits
 * for all shards). The coordinator keeps the one set of weights, the optimiser and everything a
 * checkpoint holds; workers only compute. A worker that dies or fails rejects the call it was
 * serving (and every later one) with its reason, and releases the others from the batch-norm
 * exchange (exchange.ts): nothing waits for it.
 */

const here = dirname(fileURLToPath(import.meta.url))

/**
 * The worker's entry: the TypeScript source through tsx, or in a build data-parallel-worker.js beside
 * the entry bundles (this code may sit in a chunk one folder below them).
 */
export function workerEntry(): { file: string; workerData?: { entry: string } } {
  const source = join(here, 'worker.ts')
  if (existsSync(source))
    return { file: join(here, 'worker-bootstrap.mjs'), workerData: { entry: pathToFileURL(source).href } }
  const built = [here, join(here, '..')].map((d) => join(d, 'data-parallel-worker.js'))
  return { file: built.find((f) => existsSync(f)) ?? built[0] }
}

class WorkerLink {
  private pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null
  /** Why this worker can no longer answer (it crashed or exited); set once. */
  failure: Error | null = null
  /** Called when this worker dies: the others may be waiting for it mid-step (a worker that fails releases them itself). */
  onTrouble: () => void = () => {}

  constructor(
    readonly worker: Worker,
    readonly index: number,
  ) {
    worker.on('message', (m: FromWorker) => {
      const p = this.pending
      this.pending = null
      if (!p) return
      if (m.type === 'error') p.reject(new Error(`data-parallel worker ${index + 1}: ${m.message}`))
      else p.resolve(m)
    })
    const fail = (e: Error) => {
      this.onTrouble()
      this.failure ??= e
      this.pending?.reject(this.failure)
      this.pending = null
    }
    worker.on('error', (e) => fail(new Error(`data-parallel worker ${index + 1} crashed: ${e.message}`)))
    worker.on('exit', (code) => fail(new Error(`data-parallel worker ${index + 1} stopped (exit code ${code})`)))
  }

  request<T extends FromWorker['type']>(
    message: ToWorker,
    expect: T,
    transfer: ArrayBuffer[] = [],
  ): Promise<Extract<FromWorker, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.pending) return Promise.reject(new Error(`data-parallel worker ${this.index + 1} is busy`))
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve: (m) =>
          m.type === expect
            ? resolve(m as Extract<FromWorker, { type: T }>)
            : reject(new Error(`data-parallel worker ${this.index + 1} answered ${m.type}, expected ${expect}`)),
        reject,
      }
      this.worker.postMessage(message, transfer)
    })
  }
}

/** Splits rows [0, n) into `parts` contiguous shards, sizes differing by at most one (empty shards dropped). */
export function shardRows(n: number, parts: number): [number, number][] {
  const out: [number, number][] = []
  let start = 0
  for (let i = 0; i < parts; i++) {
    const size = Math.floor(n / parts) + (i < n % parts ? 1 : 0)
    if (size > 0) out.push([start, start + size])
    start += size
  }
  return out
}

/** A copy of some rows of a batch, with buffers of its own (they are moved to a worker). */
function shardOf(batch: Batch, [from, to]: [number, number]): Batch {
  const part = batchRows(batch, from, to)
  return {
    rows: part.rows.slice(),
    images: part.images.slice(),
    shape: part.shape,
    labels: part.labels.slice(),
    mask: part.mask.slice(),
    datasetIndex: part.datasetIndex.slice(),
    ...(part.landmarks && part.landmarksKnown
      ? { landmarks: part.landmarks.slice(), landmarksKnown: part.landmarksKnown.slice() }
      : {}),
  }
}

const buffersOf = (part: Batch): ArrayBuffer[] =>
  [part.rows, part.images, part.labels, part.mask, part.datasetIndex, part.landmarks, part.landmarksKnown].flatMap(
    (a) => (a ? [a.buffer as ArrayBuffer] : []),
  )

/** One shard's share of a step: where its gradients are, and the weight they count with. */
export interface ShardGradients {
  /** Rows of the batch this shard had, over all rows: its gradients' and statistics' weight. */
  weight: number
  lossByHead: Record<string, number>
}

export class RunWorkers {
  private version = 0
  private written = -1

  private constructor(
    private readonly links: WorkerLink[],
    readonly layout: Layout,
    /** The shared buffer: the weights region, then one slot per worker (protocol.ts). */
    readonly shared: Float32Array,
    /** Where the workers exchange batch-norm statistics mid-step; aborted when one of them fails. */
    readonly statistics: SharedExchange,
    /** The run's heads and label space: what the whole batch's counts are counted over. */
    private readonly model: RunModel,
  ) {
    for (const link of links) link.onTrouble = () => statistics.abort()
  }

  get workers(): number {
    return this.links.length
  }

  /** The worker threads, for supervision (a test ends one to check that a dying worker fails the step). */
  get threads(): readonly Worker[] {
    return this.links.map((l) => l.worker)
  }

  static async start(model: RunModel, workers: number): Promise<RunWorkers> {
    if (!Number.isInteger(workers) || workers < 1)
      throw new Error(`workers must be a positive integer (got ${workers})`)
    const entry = workerEntry()
    if (!existsSync(entry.file)) throw new Error(`data-parallel worker entry not found: ${entry.file}`)
    const links = Array.from(
      { length: workers },
      (_, i) => new WorkerLink(new Worker(entry.file, { workerData: entry.workerData }), i),
    )
    try {
      const ready = await Promise.all(
        links.map((l) => l.request({ type: 'init', model, index: l.index, workers }, 'ready')),
      )
      const layout = ready[0].layout
      const shared = new SharedArrayBuffer(sharedSize(layout, workers) * 4)
      const exchange = { workers, capacity: statisticsCapacity(layout) }
      const statistics = exchangeBuffer(exchange)
      const attach: ToWorker = { type: 'attach', shared, statistics, capacity: exchange.capacity }
      await Promise.all(links.map((l) => l.request(attach, 'ok')))
      return new RunWorkers(links, layout, new Float32Array(shared), new SharedExchange(statistics, exchange), model)
    } catch (e) {
      await Promise.all(links.map((l) => l.worker.terminate()))
      throw e
    }
  }

  /** Marks the network's weights as changed (an update, a restored checkpoint): workers reload them. */
  weightsChanged(): void {
    this.version++
  }

  /**
   * Writes the network's weights and batch-norm statistics into the shared region when they changed.
   * Synchronous reads: workers run only beside a wasm trainer, whose reads are copies out of its heap;
   * awaiting each of a ResNet's ~100 variables cost more than the copies, while every worker waited.
   */
  private publish(net: Network): number {
    let offset = 0
    for (const [name, n] of this.layout.trainable) {
      if (this.written !== this.version) this.shared.set(net.trainable.get(name)!.dataSync() as Float32Array, offset)
      offset += n
    }
    for (const [name] of this.layout.state) {
      const v = net.state.get(name)!
      this.shared.set(v.dataSync() as Float32Array, offset)
      offset += v.size
    }
    this.written = this.version
    return this.version
  }

  /**
   * Once one worker has died, every later call fails at once with its reason: the others may still be
   * busy with the step it broke, and waiting for them would hide why.
   */
  private throwIfBroken(): void {
    const broken = this.links.find((l) => l.failure)
    if (broken) throw broken.failure
    if (this.statistics.aborted)
      throw new Error('a data-parallel worker failed mid-step earlier: the workers no longer train in step')
  }

  /** The counts of a whole batch that each shard's means divide by (loss/batch-counts.ts). */
  private countsOf(batch: Batch): BatchCounts {
    return batchCounts(this.model.views, batch, this.model.classCount)
  }

  /**
   * Each worker's gradients of the run's loss on its shard of `batch`, from `net`'s current weights,
   * its means divided by the whole batch's counts so that its rows weigh as in the batch's mean.
   */
  async gradients(net: Network, batch: Batch, weightDecay: number): Promise<ShardGradients[]> {
    this.throwIfBroken()
    const n = batch.shape.batch
    const counts = this.countsOf(batch)
    const shards = shardRows(n, this.links.length)
    const weights = this.publish(net)
    const replies = await Promise.all(
      shards.map((rows, i) => {
        const part = shardOf(batch, rows)
        const message: ToWorker = {
          type: 'gradients',
          part,
          counts,
          weightDecay,
          weights,
          parties: shards.length,
          share: (rows[1] - rows[0]) / n,
        }
        return this.links[i].request(message, 'gradients', buffersOf(part))
      }),
    )
    return replies.map((r, i) => ({ weight: (shards[i][1] - shards[i][0]) / n, lossByHead: r.lossByHead }))
  }

  /** Worker `index`'s slot: its gradients, then batch-norm statistics, then one flag per trainable variable. */
  slot(index: number): Float32Array {
    const at = slotOffset(this.layout, index)
    return this.shared.subarray(at, at + weightsSize(this.layout) + this.layout.trainable.length)
  }

  /**
   * Evaluation-mode probabilities of `batch` (rows x classCount), shards in parallel; adds the summed
   * loss into `loss` (the shards' sums divided by the whole batch's counts: the batch's loss).
   */
  async probabilities(net: Network, batch: Batch, classCount: number, loss?: { sum: number }): Promise<Float32Array> {
    this.throwIfBroken()
    const counts = this.countsOf(batch)
    const shards = shardRows(batch.shape.batch, this.links.length)
    const weights = this.publish(net)
    const replies = await Promise.all(
      shards.map((rows, i) => {
        const part = shardOf(batch, rows)
        const message: ToWorker = { type: 'probabilities', part, withLoss: loss !== undefined, counts, weights }
        return this.links[i].request(message, 'probabilities', buffersOf(part))
      }),
    )
    const out = new Float32Array(batch.shape.batch * classCount)
    replies.forEach((r, i) => {
      out.set(r.probabilities, shards[i][0] * classCount)
      if (loss) loss.sum += r.lossSum
    })
    return out
  }

  async close(): Promise<void> {
    this.statistics.abort()
    await Promise.all(this.links.map((l) => l.worker.terminate()))
  }
}
