import { readFileSync } from 'node:fs'
import { auCode, auNumberOf, EMOTION_CODES } from '../../../../shared/labels'
import { allClasses, emotionCodeOf } from '../../../labels/label-space'
import { resourcePath } from '../../../app/resources'
import type { LabelEntry } from '../../record'
import type { Split } from '../../../../shared/contract'

// Dataset codes -> catalogue class codes. The code maps come from resources/labels/emotions.json
// (each with its source), so a reader never hard-codes what, say, RAF-DB's `4` means.

const byCode = new Map<string, string>()
function catalogue(): Map<string, string> {
  if (!byCode.size) for (const c of allClasses()) byCode.set(c.code, c.kind)
  return byCode
}

/** `AU12` when AU number n is a catalogue class (AU1..AU46 in FACS), else undefined. */
export function catalogueAu(n: number): string | undefined {
  const code = auCode(n)
  return catalogue().get(code) === 'au' ? code : undefined
}

export const isEmotion = (code: string): boolean => (EMOTION_CODES as readonly string[]).includes(code)
export const isCompound = (code: string): boolean => catalogue().get(code) === 'compound'

const nameCache = new Map<string, string | undefined>()

/**
 * Catalogue code named by a folder name, a CSV header or a cell: an emotion in any of its usual
 * spellings ('Happy', 'happiness'), an AU ('AU12', 'AU 12', "'AU 12'") or a compound
 * ('happily_surprised', 'Happily surprised').
 */
export function classCodeOf(name: string): string | undefined {
  if (nameCache.has(name)) return nameCache.get(name)
  const text = name
    .trim()
    .replace(/^['"]|['"]$/g, '')
    .trim()
  let code: string | undefined = emotionCodeOf(text)
  if (!code) {
    const n = auNumberOf(text)
    if (n !== undefined) code = catalogueAu(n)
    else {
      const compound = text.toLowerCase().replace(/[\s-]+/g, '_')
      if (isCompound(compound)) code = compound
    }
  }
  nameCache.set(name, code)
  return code
}

interface LabelMaps {
  dataset_label_maps: Record<string, { codes?: Record<string, string | null>; folders?: Record<string, string> }>
}
let maps: LabelMaps['dataset_label_maps'] | undefined

/** A dataset's code map from emotions.json (`fer2013`, `ckplus`, `rafdb_basic`...), to catalogue codes. */
export function datasetCodes(key: string): Map<string, string> {
  maps ??= (JSON.parse(readFileSync(resourcePath('labels', 'emotions.json'), 'utf8')) as LabelMaps).dataset_label_maps
  const entry = maps[key]
  if (!entry) throw new Error(`resources/labels/emotions.json has no code map "${key}"`)
  const out = new Map<string, string>()
  for (const [code, name] of Object.entries(entry.codes ?? entry.folders ?? {})) {
    if (name === null) continue
    const cls = classCodeOf(name)
    if (!cls) throw new Error(`emotions.json map "${key}": "${name}" is not a catalogue class`)
    out.set(code, cls)
  }
  return out
}

/** An AU set of resources/labels/aus.json (`disfa`, `emotionet_manual_24600_xlsx`...) as AU numbers. */
export function auSet(name: string): number[] {
  const { sets } = JSON.parse(readFileSync(resourcePath('labels', 'aus.json'), 'utf8')) as {
    sets: Record<string, number[]>
  }
  if (!sets[name]) throw new Error(`resources/labels/aus.json has no AU set "${name}"`)
  return sets[name]
}

/** The given class 1 and every other class of `space` 0: single-label datasets know the others are absent. */
export function oneHot(code: string, space: readonly string[]): Record<string, LabelEntry> {
  const out: Record<string, LabelEntry> = {}
  for (const c of space) out[c] = { value: c === code ? 1 : 0 }
  return out
}

const SPLITS: Record<string, Split> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  dev: 'val',
  publictest: 'val',
  test: 'test',
  testing: 'test',
  privatetest: 'test',
}

/** train / val / test from the words datasets use (FER2013's Training / PublicTest / PrivateTest included). */
export const splitOf = (text: string): Split | undefined => SPLITS[text.trim().toLowerCase()]

/** Sorts codes into the catalogue's order (emotions, then AUs by number, then compounds). */
export function inCatalogueOrder(codes: Iterable<string>): string[] {
  const order = [...catalogue().keys()]
  const set = new Set(codes)
  return order.filter((c) => set.has(c))
}
