import { createHash } from 'node:crypto'
import type { Split } from '../../shared/contract'

export interface SplitRatios {
  train: number
  val: number
  test: number
}
export const DEFAULT_SPLIT: SplitRatios = { train: 0.8, val: 0.1, test: 0.1 }

/**
 * A split for images whose dataset has none: a hash of the seed and the image's path, so the same
 * image lands in the same split on every re-import and independent of file order.
 */
export function seededSplit(path: string, seed: number, ratios: SplitRatios = DEFAULT_SPLIT): Split {
  const digest = createHash('sha256').update(`${seed}\0${path}`).digest()
  const u = digest.readUInt32BE(0) / 0x1_0000_0000
  const total = ratios.train + ratios.val + ratios.test
  if (u < ratios.train / total) return 'train'
  if (u < (ratios.train + ratios.val) / total) return 'val'
  return 'test'
}
