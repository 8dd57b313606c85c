import type { BatchStatisticsExchange } from '../../network/batch-norm-kernels'

/*
 * The all-reduce of synchronised batch norm between a run's data-parallel workers, in a
 * SharedArrayBuffer of its own: each worker writes its per-channel sums into its slot, meets the
 * others at a barrier (Atomics.wait: a worker thread may block), then adds up every slot in worker
 * order, so that every worker gets the same totals to the bit. Slots are double-buffered by the
 * barrier's generation: a worker can only write the next call's sums once every worker has arrived
 * at this call's barrier, so nobody is still reading the slots it writes.
 *
 * A worker that dies or fails mid-step must not leave the others waiting: the coordinator (or the
 * failing worker itself) aborts the exchange, which wakes every waiting worker with an error, and a
 * wait that outlasts `timeoutMs` fails too. An aborted exchange stays aborted.
 */

const ARRIVED = 0
const GENERATION = 1
const ABORTED = 2
/** Then one word per worker: 1 while it waits at the barrier. */
const WAITING = 3

/** How long a worker waits for the others at one barrier before it fails the step (a safety net: exits abort at once). */
export const EXCHANGE_TIMEOUT_MS = 10 * 60_000

export interface ExchangeShape {
  workers: number
  /** Largest vector one call exchanges (2 x the widest layer's channels + 1). */
  capacity: number
}

/** Bytes of the exchange's buffer: control words (8-byte aligned), then 2 x workers slots of `capacity` doubles. */
const controlBytes = (workers: number): number => 8 * Math.ceil(((WAITING + workers) * 4) / 8)

export function exchangeBuffer(shape: ExchangeShape): SharedArrayBuffer {
  return new SharedArrayBuffer(controlBytes(shape.workers) + 2 * shape.workers * shape.capacity * 8)
}

export class SharedExchange {
  private readonly control: Int32Array
  private readonly slots: Float64Array

  constructor(
    buffer: SharedArrayBuffer,
    readonly shape: ExchangeShape,
    private readonly timeoutMs = EXCHANGE_TIMEOUT_MS,
  ) {
    const at = controlBytes(shape.workers)
    if (buffer.byteLength !== exchangeBuffer(shape).byteLength)
      throw new Error(
        `the batch-statistics buffer holds ${buffer.byteLength} bytes, expected ${at + 16 * shape.workers * shape.capacity}`,
      )
    this.control = new Int32Array(buffer, 0, WAITING + shape.workers)
    this.slots = new Float64Array(buffer, at)
  }

  /** Wakes every waiting worker with an error; every later call fails at once. */
  abort(): void {
    Atomics.store(this.control, ABORTED, 1)
    Atomics.add(this.control, GENERATION, 1)
    Atomics.notify(this.control, GENERATION)
  }

  get aborted(): boolean {
    return Atomics.load(this.control, ABORTED) !== 0
  }

  /** Whether worker `index` is waiting for the others now. */
  waiting(index: number): boolean {
    return Atomics.load(this.control, WAITING + index) !== 0
  }

  /** Worker `index`'s side for one step in which workers 0..parties-1 take part, its loss weighted by `share`. */
  forWorker(index: number, parties: number, share: number): BatchStatisticsExchange {
    if (!(index >= 0 && index < parties && parties <= this.shape.workers))
      throw new Error(
        `worker ${index + 1} cannot exchange statistics among ${parties} of ${this.shape.workers} workers`,
      )
    return { share, allReduce: (values) => this.allReduce(index, parties, values) }
  }

  private slot(parity: number, index: number): Float64Array {
    const at = (parity * this.shape.workers + index) * this.shape.capacity
    return this.slots.subarray(at, at + this.shape.capacity)
  }

  private allReduce(index: number, parties: number, values: Float64Array): void {
    if (values.length > this.shape.capacity)
      throw new Error(`batch statistics of ${values.length} values exceed the exchange's ${this.shape.capacity}`)
    const generation = Atomics.load(this.control, GENERATION)
    this.throwIfAborted()
    const parity = generation & 1
    this.slot(parity, index).set(values)
    this.barrier(index, parties, generation)
    values.fill(0)
    for (let w = 0; w < parties; w++) {
      const slot = this.slot(parity, w)
      for (let k = 0; k < values.length; k++) values[k] += slot[k]
    }
  }

  private throwIfAborted(): void {
    if (this.aborted) throw new Error('batch statistics exchange aborted: another data-parallel worker failed')
  }

  private barrier(index: number, parties: number, generation: number): void {
    if (Atomics.add(this.control, ARRIVED, 1) === parties - 1) {
      Atomics.store(this.control, ARRIVED, 0)
      Atomics.add(this.control, GENERATION, 1)
      Atomics.notify(this.control, GENERATION)
      return
    }
    const deadline = Date.now() + this.timeoutMs
    Atomics.store(this.control, WAITING + index, 1)
    try {
      // The generation is read before the abort flag: abort sets the flag first, so a changed
      // generation with the flag clear is a barrier every worker reached.
      while (Atomics.load(this.control, GENERATION) === generation || this.aborted) {
        this.throwIfAborted()
        const left = deadline - Date.now()
        if (left <= 0 || Atomics.wait(this.control, GENERATION, generation, left) === 'timed-out')
          throw new Error(
            `data-parallel worker ${index + 1} waited ${Math.round(this.timeoutMs / 1000)} s for the others' batch statistics`,
          )
      }
    } finally {
      Atomics.store(this.control, WAITING + index, 0)
    }
  }
}
