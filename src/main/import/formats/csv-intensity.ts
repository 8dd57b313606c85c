import { isIntensity } from '../../../shared/intensity'
import type { LabelEntry } from '../record'
import { quoted } from './common/shown'

// `AU12_r` columns (the labels export, OpenFace-style files): the FACS intensity of a label the row
// also gives in its `AU12` column: 0 absent, 1-5 = A-E (1 may be a trace on an absent AU), empty none.

/**
 * Adds the intensity of `cell` to `label`; returns why it was left out when the cell is no intensity
 * or disagrees with the label (absent at C, present at 0, or no label at all).
 */
export function addIntensity(label: LabelEntry | undefined, cell: string, code: string): string | undefined {
  const text = cell.trim()
  if (!text) return undefined
  const n = Number(text)
  if (n === 0 && label?.value !== 1) return undefined
  const fits = isIntensity(n) && label !== undefined && (label.value === 1 || n === 1)
  if (fits) {
    label.intensity = n
    return undefined
  }
  if (!isIntensity(n)) return `${quoted(text)} is not 0-5 (0 absent, 1-5 = A-E); ${code} kept without an intensity`
  const state = label === undefined ? 'unknown' : label.value === 1 ? 'present' : 'absent'
  return `${quoted(text)} does not fit ${code} ${state} in the same row; ${code} kept without an intensity`
}
