import { describe, expect, it } from 'vitest'
import { exchangeBuffer, SharedExchange } from './exchange'

// The batch-statistics exchange in one thread: one worker of one adds up to itself; a worker whose
// partner never comes fails after the timeout instead of waiting for ever; an aborted exchange
// fails every call. Two workers adding up for real are train-on-workers.test.ts's.

const shape = { workers: 2, capacity: 5 }

describe('the batch-statistics exchange', () => {
  it('gives a worker alone its own values back', () => {
    const exchange = new SharedExchange(exchangeBuffer(shape), shape)
    const values = Float64Array.from([1.5, -2, 3])
    exchange.forWorker(0, 1, 1).allReduce(values)
    expect(Array.from(values)).toEqual([1.5, -2, 3])
  })

  it('fails a worker whose partner never arrives, after the timeout, naming it', () => {
    const exchange = new SharedExchange(exchangeBuffer(shape), shape, 50)
    expect(() => exchange.forWorker(1, 2, 0.5).allReduce(new Float64Array(3))).toThrow(
      /data-parallel worker 2 waited 0 s for the others' batch statistics/,
    )
    expect(exchange.waiting(1)).toBe(false)
  })

  it('fails every call once aborted', () => {
    const exchange = new SharedExchange(exchangeBuffer(shape), shape)
    exchange.abort()
    expect(exchange.aborted).toBe(true)
    expect(() => exchange.forWorker(0, 2, 0.5).allReduce(new Float64Array(3))).toThrow(/aborted/)
  })

  it('refuses more values than it holds and a worker outside the step', () => {
    const exchange = new SharedExchange(exchangeBuffer(shape), shape)
    expect(() => exchange.forWorker(0, 1, 1).allReduce(new Float64Array(6))).toThrow(/6 values exceed the exchange's 5/)
    expect(() => exchange.forWorker(2, 2, 0.5)).toThrow(/worker 3 cannot exchange statistics among 2 of 2 workers/)
    expect(() => new SharedExchange(new SharedArrayBuffer(8), shape)).toThrow(/holds 8 bytes/)
  })
})
