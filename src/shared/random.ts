// Small seeded randomness shared by every process, so that a run's shuffles, crops and flips are
// the same on every machine and backend for the same seed (Math.random cannot be seeded).

/** A generator of floats in [0, 1). */
export type Random = () => number

/** mulberry32: a 32-bit state generator; fast, good enough for shuffles and augmentation. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A seed for one independent stream (e.g. the augmentation of step 1234) derived from the run's
 * seed, so that resuming at step k replays exactly what an uninterrupted run would have drawn.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (seed >>> 0) ^ 0x9e3779b9
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

/** An integer in [0, n). */
export const randomInt = (random: Random, n: number): number => Math.floor(random() * n)

/** Fisher-Yates shuffle in place; returns the same array. */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(random: Random, items: A): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1)
    const t = items[i]
    items[i] = items[j]
    items[j] = t
  }
  return items
}
