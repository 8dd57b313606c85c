import { MISSING, type Codings } from '../../src/shared/statistics/codings'

// Codings written the way published examples print them: one row per item, one column per coder,
// null where a coder gave no code.

/** Codings from rows of codes (null = missing); categories default to the largest code + 1. */
export function codingsOf(rows: readonly (readonly (number | null)[])[], categories?: number): Codings {
  const coders = rows[0]?.length ?? 1
  const codes = Int32Array.from(rows.flat(), (c) => (c === null ? MISSING : c))
  return { items: rows.length, coders, categories: categories ?? Math.max(0, ...codes) + 1, codes }
}

/**
 * Codings from a table in Fleiss' form (how many coders put each item in each category): each
 * item's codes are laid out category by category, which any statistic of counts cannot tell apart.
 */
export function codingsOfCountTable(table: readonly (readonly number[])[]): Codings {
  const rows = table.map((counts) => counts.flatMap((n, category) => Array<number>(n).fill(category)))
  return codingsOf(rows, table[0].length)
}
