import { describe, expect, it } from 'vitest'
import { planPrediction, planThreads, threadsFor } from './threads'

describe('planThreads', () => {
  it('takes every core by default, one worker each on wasm', () => {
    expect(planThreads(undefined, 'wasm', 128, 2)).toEqual({ workers: 2, threads: 2, reason: '2 workers: 2 cores' })
  })

  it('caps more threads than cores, saying so', () => {
    expect(planThreads(8, 'wasm', 128, 2)).toEqual({
      workers: 2,
      threads: 2,
      reason: '2 workers: asked for 8 threads, this machine has 2 cores',
    })
  })

  it('keeps one thread when asked for one, and at least 16 images per worker', () => {
    expect(planThreads(1, 'wasm', 128, 4).workers).toBe(1)
    expect(planThreads(undefined, 'wasm', 48, 8)).toMatchObject({
      workers: 3,
      reason: '3 workers: batches of 48 images, at least 16 per worker (8 cores)',
    })
    expect(planThreads(undefined, 'wasm', 8, 2).workers).toBe(1)
  })

  it('gives tfjs-node the threads and the GPU and cpu backends one worker', () => {
    expect(planThreads(undefined, 'native', 128, 4)).toMatchObject({ workers: 1, threads: 4 })
    expect(planThreads(undefined, 'webgpu', 128, 4).workers).toBe(1)
    expect(planThreads(undefined, 'cpu', 128, 4).workers).toBe(1)
  })

  it('refuses 0 threads', () => {
    expect(() => threadsFor(0, 2)).toThrow('threads must be a whole number of at least 1 (got 0)')
  })

  it("predicts in one thread when there are too few images to win back the workers' start", () => {
    expect(planPrediction(undefined, 'wasm', 1024, 2).workers).toBe(2)
    expect(planPrediction(undefined, 'wasm', 48, 2)).toEqual({
      workers: 1,
      threads: 2,
      reason: '1 worker: 48 images to predict, fewer than the 1024 that starting workers pays for',
    })
  })
})
