import { WorkbenchError } from '../errors'

// How the coders' answers for one class reach the agreement statistics: one typed array per class,
// items x coders, row-major, so that 100,000 double-coded images x 40 classes are 40 passes over
// small integer arrays (issue 14's speed target). Each statistic depends on an item only through
// its row of codes, so one pass groups identical rows into patterns with a count; every statistic
// and every bootstrap resample then works on the patterns (a handful for an AU) instead of the items.

/** A code left empty: the coder did not code this item (or marked it unknown). */
export const MISSING = -1

export interface Codings {
  /** Number of items (images). */
  items: number
  /** Number of coders: the columns. */
  coders: number
  /**
   * Number of categories: codes run from 0 to categories - 1. For an AU, 2 (0 absent, 1 present;
   * or 6 with intensity 0 absent, 1-5 A-E); for the emotion class, the number of emotions.
   */
  categories: number
  /** codes[item * coders + coder]: a category, or MISSING. */
  codes: Int32Array
  /** What the codings are of (e.g. "AU12"), for error messages. */
  label?: string
}

export interface CodePatterns {
  coders: number
  categories: number
  /** Number of items tallied. */
  items: number
  /** rows[p * coders + coder]: the codes of pattern p. */
  rows: Int32Array
  /** counts[p]: how many items have pattern p. */
  counts: Float64Array
  /** categoryCounts[p * categories + c]: how many coders gave category c in pattern p. */
  categoryCounts: Int32Array
  /** coded[p]: how many coders coded pattern p (the row's codes that are not MISSING). */
  coded: Int32Array
}

/** The codings after checking their shape and every code, with an error that names the item and coder. */
export function checkCodings(codings: Codings): Codings {
  const what = codings.label ? `codings of ${codings.label}` : 'codings'
  const { items, coders, categories, codes } = codings
  if (!Number.isInteger(items) || items < 0 || !Number.isInteger(coders) || coders < 1) {
    throw new WorkbenchError(
      'invalid_arguments',
      `${what}: items (${items}) and coders (${coders}) must be whole numbers, with at least one coder`,
      { field: 'coders' },
    )
  }
  if (!Number.isInteger(categories) || categories < 1)
    throw new WorkbenchError(
      'invalid_arguments',
      `${what}: categories must be a positive whole number (got ${categories})`,
      { field: 'categories' },
    )
  if (codes.length !== items * coders) {
    throw new WorkbenchError(
      'invalid_arguments',
      `${what}: ${codes.length} codes for ${items} items x ${coders} coders (expected ${items * coders})`,
      { field: 'codes' },
    )
  }
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]
    if (code !== MISSING && (code < 0 || code >= categories)) {
      const item = Math.floor(i / coders)
      throw new WorkbenchError(
        'invalid_arguments',
        `${what}: item ${item + 1}, coder ${(i % coders) + 1} has code ${code}, outside 0..${categories - 1} (or ${MISSING} for missing)`,
        { field: 'codes', item, coder: i % coders, code },
      )
    }
  }
  return codings
}

/** Largest direct lookup table for pattern keys; wider code spaces fall back to a Map. */
const TABLE_LIMIT = 1 << 16

/** Groups items with identical rows of codes. One pass over the codes. */
export function tallyPatterns(input: Codings): CodePatterns {
  const { items, coders, categories, codes } = checkCodings(input)
  const radix = categories + 1
  const keySpace = radix ** coders
  const table = keySpace <= TABLE_LIMIT ? new Int32Array(keySpace).fill(-1) : null
  const map = new Map<number | string, number>()
  const firstItem: number[] = []
  const counts: number[] = []
  for (let item = 0; item < items; item++) {
    const base = item * coders
    let key: number | string
    if (keySpace <= Number.MAX_SAFE_INTEGER) {
      let k = 0
      for (let r = coders - 1; r >= 0; r--) k = k * radix + codes[base + r] + 1
      key = k
    } else key = codes.subarray(base, base + coders).join(',')
    let p = table ? table[key as number] : (map.get(key) ?? -1)
    if (p < 0) {
      p = counts.length
      counts.push(0)
      firstItem.push(item)
      if (table) table[key as number] = p
      else map.set(key, p)
    }
    counts[p]++
  }
  return patternsOf(input, firstItem, counts)
}

function patternsOf(
  { coders, categories, codes, items }: Codings,
  firstItem: number[],
  counts: number[],
): CodePatterns {
  const patterns = counts.length
  const rows = new Int32Array(patterns * coders)
  const categoryCounts = new Int32Array(patterns * categories)
  const coded = new Int32Array(patterns)
  firstItem.forEach((item, p) => {
    for (let r = 0; r < coders; r++) {
      const code = codes[item * coders + r]
      rows[p * coders + r] = code
      if (code === MISSING) continue
      categoryCounts[p * categories + code]++
      coded[p]++
    }
  })
  return { coders, categories, items, rows, counts: Float64Array.from(counts), categoryCounts, coded }
}
