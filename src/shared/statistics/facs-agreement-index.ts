import { WorkbenchError } from '../errors'
import { bootstrapCounts, type BootstrapOptions } from './bootstrap'
import { checkCodings, MISSING, type CodePatterns, type Codings } from './codings'
import { defined, undefinedBecause, type Coefficient, type Estimate } from './estimate'

// The FACS agreement index, the figure FACS coders are certified on (0.70 passes the final test):
// per image, 2 x the AUs both coders scored / the AUs each scored, summed; averaged over images
// (Ekman, Friesen & Hager 2002, FACS Investigator's Guide, ch. 7: agreement ratio
// 2 |A ∩ B| / (|A| + |B|), A and B the AUs each coder coded present).

/**
 * An image where neither coder scored any AU has 0 / 0: by default it is left out of the mean
 * (it says nothing about agreement on AUs, and counting it as 1 would let a pile of neutral faces
 * raise the index), and counted apart; 'count as agreement' scores it 1 instead.
 */
export type NeitherScored = 'leave out' | 'count as agreement'

/** Per pattern of an image: AUs both coded present, and AUs coded present by each, summed; scored < 0 when not compared. */
export interface IndexPatterns {
  agreed: Int32Array
  scored: Int32Array
  counts: Float64Array
}

export type AgreementIndexResult = Coefficient & {
  /** Images on which neither coder scored any AU (left out unless counted as agreement). */
  neitherScored: number
}

/**
 * The mean over images of 2 agreed / scored. An AU enters an image's counts only when both coders
 * coded it (present or absent): a code left unknown by one coder is neither agreement nor
 * disagreement. A code above 0 is "present" (so intensity codes 1-5 work too).
 */
export function agreementIndexOf(
  patterns: IndexPatterns,
  neither: NeitherScored = 'leave out',
  counts: Float64Array = patterns.counts,
): Estimate {
  let sum = 0
  let n = 0
  let compared = 0
  for (let p = 0; p < counts.length; p++) {
    const w = counts[p]
    const scored = patterns.scored[p]
    if (scored < 0 || w === 0) continue
    compared += w
    if (scored === 0 && neither === 'leave out') continue
    sum += scored === 0 ? w : (w * 2 * patterns.agreed[p]) / scored
    n += w
  }
  if (compared === 0) return undefinedBecause('no image was coded by both coders', 0)
  if (n === 0) return undefinedBecause('neither coder scored any AU on the images both coded', 0)
  return defined(sum / n, n)
}

/** Images on which both coders coded something and neither scored an AU. */
const neitherCount = (patterns: IndexPatterns): number =>
  patterns.counts.reduce((s, w, p) => s + (patterns.scored[p] === 0 ? w : 0), 0)

/** One class's patterns as index patterns for a pair of coders (the index restricted to that AU: a / (a + b + c) when leaving out). */
export function indexPatternsOfClass(patterns: CodePatterns, pair: readonly [number, number] = [0, 1]): IndexPatterns {
  const [a, b] = pair
  const size = patterns.counts.length
  const agreed = new Int32Array(size)
  const scored = new Int32Array(size)
  for (let p = 0; p < size; p++) {
    const x = patterns.rows[p * patterns.coders + a]
    const y = patterns.rows[p * patterns.coders + b]
    if (x === MISSING || y === MISSING) scored[p] = -1
    else {
      agreed[p] = x > 0 && y > 0 ? 1 : 0
      scored[p] = (x > 0 ? 1 : 0) + (y > 0 ? 1 : 0)
    }
  }
  return { agreed, scored, counts: patterns.counts }
}

/** One pass over every AU's codings: each image's (agreed, scored), tallied into patterns. */
export function tallyIndexPatterns(
  classes: readonly Codings[],
  pair: readonly [number, number] = [0, 1],
): IndexPatterns {
  if (classes.length === 0)
    throw new WorkbenchError('invalid_arguments', 'agreement index: no AU codings given', { field: 'classes' })
  const { items } = classes[0]
  for (const c of classes) {
    checkCodings(c)
    if (c.items !== items)
      throw new WorkbenchError(
        'invalid_arguments',
        `agreement index: ${c.label ?? 'a class'} has ${c.items} items, ${classes[0].label ?? 'the first'} ${items}: every AU must cover the same images`,
        { field: 'items' },
      )
    if (pair[0] >= c.coders || pair[1] >= c.coders || pair[0] === pair[1])
      throw new WorkbenchError(
        'invalid_arguments',
        `agreement index: coders ${pair[0] + 1} and ${pair[1] + 1} are not two of the ${c.coders} coders of ${c.label ?? 'a class'}`,
        { field: 'coders' },
      )
  }
  const K = classes.length
  const agreed = new Int32Array(items)
  const scored = new Int32Array(items)
  const compared = new Uint8Array(items)
  for (const { codes, coders } of classes) {
    for (let i = 0; i < items; i++) {
      const x = codes[i * coders + pair[0]]
      const y = codes[i * coders + pair[1]]
      if (x < 0 || y < 0) continue // MISSING, the only negative code once checked (a literal test: no module-binding lookup per code)
      compared[i] = 1
      if (x > 0 && y > 0) agreed[i]++
      scored[i] += (x > 0 ? 1 : 0) + (y > 0 ? 1 : 0)
    }
  }
  const tally = new IndexTally(K)
  for (let i = 0; i < items; i++) tally.add(agreed[i], scored[i], compared[i] === 1)
  return tally.patterns()
}

/**
 * The index's table built one image at a time: how many images have each (AUs both coded present,
 * AUs coded present by each summed) over K AUs, and how many were compared on no AU.
 */
export class IndexTally {
  private readonly width: number
  /** Cell agreed * (2K + 1) + scored, and one more for images nobody compared. */
  private readonly table: Float64Array

  constructor(aus: number) {
    this.width = 2 * aus + 1
    this.table = new Float64Array((aus + 1) * this.width + 1)
  }

  /** One image: `compared` when both coders coded at least one AU of it. */
  add(agreed: number, scored: number, compared: boolean): void {
    this.table[compared ? agreed * this.width + scored : this.table.length - 1]++
  }

  patterns(): IndexPatterns {
    const { table, width } = this
    const ids = [...table.keys()].filter((id) => table[id] > 0).sort((a, b) => table[b] - table[a] || a - b)
    return {
      agreed: Int32Array.from(ids, (id) => (id === table.length - 1 ? 0 : Math.floor(id / width))),
      scored: Int32Array.from(ids, (id) => (id === table.length - 1 ? -1 : id % width)),
      counts: Float64Array.from(ids, (id) => table[id]),
    }
  }
}

/** The index of tallied patterns with its percentile bootstrap interval over images. */
export function agreementIndexWithInterval(
  patterns: IndexPatterns,
  options: BootstrapOptions & { neitherScored?: NeitherScored } = {},
): AgreementIndexResult {
  const neither = options.neitherScored ?? 'leave out'
  const estimate = agreementIndexOf(patterns, neither)
  const neitherScored = neitherCount(patterns)
  if (estimate.value === null) return { ...estimate, ci95: null, ciReason: estimate.reason, neitherScored }
  const [interval] = bootstrapCounts(
    patterns.counts,
    [(counts) => agreementIndexOf(patterns, neither, counts).value],
    options,
  )
  return interval.ci95
    ? { ...estimate, ci95: interval.ci95, neitherScored }
    : { ...estimate, ci95: null, ciReason: 'undefined in most bootstrap resamples', neitherScored }
}

/**
 * The FACS agreement index of two coders over a set of AUs (every AU's codings over the same
 * images, in the same order), with n (images counted) and a percentile bootstrap 95% interval.
 */
export function facsAgreementIndex(
  classes: readonly Codings[],
  options: BootstrapOptions & { coders?: readonly [number, number]; neitherScored?: NeitherScored } = {},
): AgreementIndexResult {
  return agreementIndexWithInterval(tallyIndexPatterns(classes, options.coders), options)
}
