import { mulberry32, shuffleInPlace } from '../../shared/random'

// A stratified random sample: each stratum (images with the same current labels, see assignments.ts)
// gets its share of the sample in proportion to its size (largest remainders), drawn at random with
// the seed; the sample is then shuffled so a queue does not run stratum by stratum.

/** `size` of the ids, stratified by `strata` (id -> stratum key); the same seed gives the same sample. */
export function stratifiedSample(strata: Map<number, string>, size: number, seed: number): number[] {
  const random = mulberry32(seed)
  const groups = new Map<string, number[]>()
  for (const [id, key] of strata) (groups.get(key) ?? groups.set(key, []).get(key)!).push(id)
  const total = strata.size
  const keys = [...groups.keys()].sort()
  const shares = keys.map((key) => {
    const exact = (groups.get(key)!.length * size) / total
    return { key, take: Math.floor(exact), remainder: exact - Math.floor(exact) }
  })
  let left = size - shares.reduce((sum, s) => sum + s.take, 0)
  for (const s of [...shares].sort((a, b) => b.remainder - a.remainder || (a.key < b.key ? -1 : 1))) {
    if (left-- <= 0) break
    s.take++
  }
  const sample: number[] = []
  for (const s of shares) {
    const ids = groups.get(s.key)!.sort((a, b) => a - b)
    sample.push(...shuffleInPlace(random, ids).slice(0, s.take))
  }
  return shuffleInPlace(random, sample)
}
