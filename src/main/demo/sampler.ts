import { mulberry32, randomInt, shuffleInPlace, type Random } from '../../shared/random'

// The draws the demo generator needs on top of the shared seeded generator. Every draw goes through
// one of these so that a seed fixes every face, label and nuisance of the demo datasets.

export class Sampler {
  readonly random: Random

  constructor(seed: number) {
    this.random = mulberry32(seed)
  }

  /** A float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random()
  }

  /** An integer in [lo, hi] (both ends included). */
  int(lo: number, hi: number): number {
    return lo + randomInt(this.random, hi - lo + 1)
  }

  /** A standard normal draw (Box-Muller), for jitter that is usually small and sometimes not. */
  normal(): number {
    const u = Math.max(this.random(), 1e-12)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random())
  }

  chance(p: number): boolean {
    return this.random() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Sampler.pick: nothing to pick from')
    return items[randomInt(this.random, items.length)]
  }

  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][]
    const total = entries.reduce((s, [, w]) => s + w, 0)
    let r = this.random() * total
    for (const [key, w] of entries) {
      r -= w
      if (r < 0) return key
    }
    return entries[entries.length - 1][0]
  }

  shuffle<T>(items: T[]): T[] {
    return shuffleInPlace(this.random, items)
  }

  /** A 32-bit seed for an independent stream (e.g. one face's pixel noise). */
  seed(): number {
    return Math.floor(this.random() * 4294967296) >>> 0
  }
}

/** A stable 32-bit number for a text such as a dataset name, to derive one stream per dataset. */
export function hashText(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}
