import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { NetworkSpec } from '../../network'
import { ArrayPart, FromWorker, Layout, LossModule, slotSize, ToWorker } from './protocol'

/*
 * Data-parallel training on several cores: the wasm backend runs one thread per process, so each
 * worker thread runs its own wasm backend on its own shard of the batch. After every step the
 * gradients are averaged (protocol.ts) and every worker applies the same update, so the copies of the
 * network stay identical. Batch norm normalises each shard with its own statistics (as PyTorch's
 * DistributedDataParallel does); the moving averages are averaged with the gradients.
 */

export interface DataParallelOptions {
  workers: number
  spec: NetworkSpec
  momentum: number
  /** Module exporting `(logits, targets) => tf.Scalar`; must be importable from a worker thread. */
  loss: LossModule
}

export interface ParallelBatch {
  /** [N, H, W, C], row-major. */
  x: ArrayPart
  /** Per-row targets for the loss, each with N rows first: split across workers with x. */
  targets: Record<string, ArrayPart>
}

const here = dirname(fileURLToPath(import.meta.url))

/** The worker's entry: the TypeScript source through tsx, or in a build data-parallel-worker.js beside the bundle. */
export function workerEntry(): { file: string; workerData?: { entry: string } } {
  const source = join(here, 'worker.ts')
  if (existsSync(source))
    return { file: join(here, 'worker-bootstrap.mjs'), workerData: { entry: pathToFileURL(source).href } }
  return { file: join(here, 'data-parallel-worker.js') }
}

class WorkerLink {
  private pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null
  private failure: Error | null = null

  constructor(
    readonly worker: Worker,
    readonly index: number,
  ) {
    worker.on('message', (m: FromWorker) => {
      const p = this.pending
      this.pending = null
      if (!p) return
      if (m.type === 'error') p.reject(new Error(`data-parallel worker ${index}: ${m.message}`))
      else p.resolve(m)
    })
    const fail = (e: Error) => {
      this.failure = e
      this.pending?.reject(e)
      this.pending = null
    }
    worker.on('error', (e) => fail(new Error(`data-parallel worker ${index} crashed: ${e.message}`)))
    worker.on('exit', (code) => fail(new Error(`data-parallel worker ${index} exited (code ${code})`)))
  }

  request<T extends FromWorker['type']>(
    message: ToWorker,
    expect: T,
    transfer: ArrayBuffer[] = [],
  ): Promise<Extract<FromWorker, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.pending) return Promise.reject(new Error(`data-parallel worker ${this.index} is busy`))
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve: (m) =>
          m.type === expect
            ? resolve(m as Extract<FromWorker, { type: T }>)
            : reject(new Error(`worker ${this.index} answered ${m.type}, expected ${expect}`)),
        reject,
      }
      this.worker.postMessage(message, transfer)
    })
  }
}

/** Splits rows [0, n) into `parts` contiguous shards, sizes differing by at most one. */
export function shardRows(n: number, parts: number): [number, number][] {
  const out: [number, number][] = []
  let start = 0
  for (let i = 0; i < parts; i++) {
    const size = Math.floor(n / parts) + (i < n % parts ? 1 : 0)
    out.push([start, start + size])
    start += size
  }
  return out
}

function rowsOf(part: ArrayPart, [from, to]: [number, number]): ArrayPart {
  const rowSize = part.shape.slice(1).reduce((a, b) => a * b, 1)
  return { data: part.data.slice(from * rowSize, to * rowSize), shape: [to - from, ...part.shape.slice(1)] }
}

export class DataParallelTrainer {
  private constructor(
    private readonly links: WorkerLink[],
    readonly layout: Layout,
  ) {}

  get workers(): number {
    return this.links.length
  }

  static async start(opts: DataParallelOptions): Promise<DataParallelTrainer> {
    if (!Number.isInteger(opts.workers) || opts.workers < 1)
      throw new Error(`workers must be a positive integer (got ${opts.workers})`)
    const entry = workerEntry()
    if (!existsSync(entry.file)) throw new Error(`data-parallel worker entry not found: ${entry.file}`)
    const links = Array.from(
      { length: opts.workers },
      (_, i) => new WorkerLink(new Worker(entry.file, { workerData: entry.workerData }), i),
    )
    try {
      const ready = await Promise.all(
        links.map((l) =>
          l.request(
            {
              type: 'init',
              spec: opts.spec,
              momentum: opts.momentum,
              loss: opts.loss,
              index: l.index,
              workers: opts.workers,
            },
            'ready',
          ),
        ),
      )
      const layout = ready[0].layout
      const shared = new SharedArrayBuffer(slotSize(layout) * opts.workers * 4)
      await Promise.all(links.map((l) => l.request({ type: 'attach', shared }, 'ok')))
      return new DataParallelTrainer(links, layout)
    } catch (e) {
      await Promise.all(links.map((l) => l.worker.terminate()))
      throw e
    }
  }

  /** One synchronous SGD step over the whole batch; returns the mean of the shards' losses. */
  async step(batch: ParallelBatch, learningRate: number): Promise<number> {
    const n = batch.x.shape[0]
    if (n < this.links.length)
      throw new Error(`a batch of ${n} images cannot be split across ${this.links.length} workers`)
    const shards = shardRows(n, this.links.length)
    const replies = await Promise.all(
      this.links.map((l, i) => {
        const x = rowsOf(batch.x, shards[i])
        const targets: Record<string, ArrayPart> = {}
        for (const [k, v] of Object.entries(batch.targets)) {
          if (v.shape[0] !== n) throw new Error(`target '${k}' has ${v.shape[0]} rows, the batch has ${n} images`)
          targets[k] = rowsOf(v, shards[i])
        }
        const transfer = [
          x.data.buffer as ArrayBuffer,
          ...Object.values(targets).map((t) => t.data.buffer as ArrayBuffer),
        ]
        return l.request({ type: 'step', x, targets }, 'gradients', transfer)
      }),
    )
    await Promise.all(this.links.map((l) => l.request({ type: 'apply', learningRate }, 'applied')))
    return replies.reduce((s, r) => s + r.loss, 0) / replies.length
  }

  /** Weights and batch-norm statistics of one worker (all hold the same). */
  async weights(worker = 0): Promise<{ trainable: Map<string, Float32Array>; state: Map<string, Float32Array> }> {
    const m = await this.links[worker].request({ type: 'getWeights' }, 'weights')
    return { trainable: new Map(m.trainable), state: new Map(m.state) }
  }

  /** Loads the same weights (e.g. from a checkpoint) into every worker. */
  async setWeights(trainable: Map<string, Float32Array>, state: Map<string, Float32Array>): Promise<void> {
    await Promise.all(
      this.links.map((l) => l.request({ type: 'setWeights', trainable: [...trainable], state: [...state] }, 'ok')),
    )
  }

  async close(): Promise<void> {
    await Promise.all(this.links.map((l) => l.worker.terminate()))
  }
}
