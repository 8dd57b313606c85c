import { WorkbenchError } from '../errors'

// How the coders' answers for one class reach the agreement statistics: either one typed array per
// class, items x coders, row-major (Codings), or its contingency table straight away (PatternTally,
// which the catalogue's reader fills in one pass). Each statistic depends on an item only through
// its row of codes, so the table groups identical rows into patterns (cells) with a count; every
// statistic and every bootstrap resample then works on the cells (a handful for an AU) instead of
// the items (issue 14: 100,000 double-coded images x 40 classes in under 2 s).

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

/** Several tables of the same coders and categories as one (e.g. every AU's codes pooled): their cells added up. */
export function pooledPatterns(tables: readonly CodePatterns[]): CodePatterns {
  const [first] = tables
  const tally = new PatternTally(first.coders, first.categories)
  for (const t of tables) {
    if (t.coders !== first.coders || t.categories !== first.categories)
      throw new WorkbenchError('invalid_arguments', 'pooled tables must have the same coders and categories', {
        field: 'patterns',
      })
    t.counts.forEach((count, p) => tally.add(t.rows, p * t.coders, count))
  }
  return tally.patterns()
}

/** Largest direct table of cells; wider code spaces (many coders or categories) count in a Map. */
const TABLE_LIMIT = 1 << 16

/** Groups items with identical rows of codes: the contingency table of the codings. One pass over the codes. */
export function tallyPatterns(input: Codings): CodePatterns {
  const { items, coders, categories, codes } = checkCodings(input)
  const tally = new PatternTally(coders, categories)
  for (let item = 0; item < items; item++) tally.add(codes, item * coders)
  return tally.patterns()
}

// A contingency table of codes built one item at a time: each item's row of codes (one per coder)
// is a cell, and the table counts the items per cell. With two coders an AU is a 3 x 3 table
// (absent, present, not coded), the emotion 9 x 9. Every agreement statistic and every bootstrap
// resample works on the cells, so a reader can tally straight from the catalogue in one pass
// without laying out an items x coders array per class (issue 14: 100,000 images x 40 classes).

export class PatternTally {
  /** Codes run 0..categories - 1, plus MISSING: a cell key is the row read in base categories + 1. */
  private readonly radix: number
  private readonly table: Float64Array | null
  private readonly map = new Map<number | string, number>()
  private readonly exact: boolean
  items = 0

  constructor(
    readonly coders: number,
    readonly categories: number,
  ) {
    this.radix = categories + 1
    const cells = this.radix ** coders
    this.exact = cells <= Number.MAX_SAFE_INTEGER
    this.table = cells <= TABLE_LIMIT ? new Float64Array(cells) : null
  }

  /** Counts one item whose codes are row[offset .. offset + coders - 1] (each a category or MISSING). */
  add(row: ArrayLike<number>, offset = 0, weight = 1): void {
    this.items += weight
    if (!this.exact) {
      const key = Array.prototype.slice.call(row, offset, offset + this.coders).join(',')
      this.map.set(key, (this.map.get(key) ?? 0) + weight)
      return
    }
    let key = 0
    for (let r = this.coders - 1; r >= 0; r--) key = key * this.radix + row[offset + r] + 1
    if (this.table) this.table[key] += weight
    else this.map.set(key, (this.map.get(key) ?? 0) + weight)
  }

  /** Whether any item has a code other than MISSING. */
  anyCoded(): boolean {
    if (this.table) return this.table.some((count, key) => key > 0 && count > 0)
    return [...this.map].some(([key, count]) => count > 0 && this.rowOf(key).some((c) => c !== MISSING))
  }

  /** The row of codes of a cell key. */
  private rowOf(key: number | string): number[] {
    if (typeof key === 'string') return key.split(',').map(Number)
    const row: number[] = []
    for (let r = 0; r < this.coders; r++, key = Math.floor(key / this.radix)) row.push((key % this.radix) - 1)
    return row
  }

  /**
   * The cells with items, as the statistics take them, the fullest first: a bootstrap draws the
   * cells in this order, and once the big ones have taken most of the items the rest cost little.
   */
  patterns(): CodePatterns {
    const cells: [number | string, number][] = this.table
      ? [...this.table.entries()].filter(([, count]) => count > 0)
      : [...this.map].filter(([, count]) => count > 0)
    cells.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    const { coders, categories } = this
    const rows = new Int32Array(cells.length * coders)
    const categoryCounts = new Int32Array(cells.length * categories)
    const coded = new Int32Array(cells.length)
    cells.forEach(([key], p) => {
      this.rowOf(key).forEach((code, r) => {
        rows[p * coders + r] = code
        if (code === MISSING) return
        categoryCounts[p * categories + code]++
        coded[p]++
      })
    })
    const counts = Float64Array.from(cells, ([, count]) => count)
    return { coders, categories, items: this.items, rows, counts, categoryCounts, coded }
  }
}
