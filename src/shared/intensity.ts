// FACS intensity of a present Action Unit, A (trace) to E (maximum), stored as the integers 1-5.
// Pure data: runs in the renderer, main and the trainer alike.
//
// How a label carries it (labels.value, labels.intensity):
//   value 1, intensity 1-5   present at A-E
//   value 1, intensity NULL  present, intensity not coded
//   value 0, intensity NULL  absent
//   value 0, intensity 1     a dataset's trace below its presence threshold (DISFA codes 1 = A, and
//                            counts an AU present from 2 = B on): absent for training, the A kept
//   no row                   unknown
// Coders set intensity only on a present AU; the trace case comes from imports alone.

export const INTENSITY_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const
export type IntensityLetter = (typeof INTENSITY_LETTERS)[number]

/** FACS intensity as stored: 1 = A (trace) ... 5 = E (maximum). */
export type Intensity = 1 | 2 | 3 | 4 | 5

/** The FACS names of the levels, in the coders' words. */
export const INTENSITY_NAMES: Record<IntensityLetter, string> = {
  A: 'trace',
  B: 'slight',
  C: 'marked',
  D: 'severe',
  E: 'maximum',
}

export const isIntensity = (n: unknown): n is Intensity =>
  Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 5

/** "C" for 3. */
export const intensityLetter = (n: Intensity): IntensityLetter => INTENSITY_LETTERS[n - 1]

/** "C marked" for 3, for labels and tooltips. */
export const intensityLabel = (n: Intensity): string => `${intensityLetter(n)} ${INTENSITY_NAMES[intensityLetter(n)]}`

/** 3 for "C" or "c"; undefined for anything else. */
export function intensityOfLetter(text: string): Intensity | undefined {
  const i = (INTENSITY_LETTERS as readonly string[]).indexOf(text.trim().toUpperCase())
  return i < 0 ? undefined : ((i + 1) as Intensity)
}

/**
 * A dataset's 0-5 FACS code (DISFA, BP4D intensity files) as a label: 0 absent; 1 (A) a trace, absent
 * when the dataset counts presence from B (`presentFrom` 2) and present otherwise; 2-5 present at B-E.
 */
export function labelOfFacsCode(code: 0 | Intensity, presentFrom: 1 | 2): { value: 0 | 1; intensity?: Intensity } {
  if (code === 0) return { value: 0 }
  return { value: code >= presentFrom ? 1 : 0, intensity: code }
}

/**
 * The OpenFace-style `_r` cell of a label: 0 absent, 1-5 for A-E (a trace kept from a dataset is 1),
 * null when unknown or present without a coded intensity.
 */
export function intensityCell(value: 0 | 1 | null, intensity: number | null): number | null {
  if (value === null) return null
  if (intensity !== null) return intensity
  return value === 0 ? 0 : null
}

/**
 * An intensity as the catalogue stores it (the rule migration 0007 applied to older rows): 1-5 on a
 * present label (fractions rounded), only a trace (1) on an absent one, null for anything else
 * (0, above 5, not a number). Undo puts back intensities logged before that rule through it.
 */
export function storedIntensity(value: 0 | 1 | null, intensity: number | null | undefined): Intensity | null {
  if (value === null || intensity === null || intensity === undefined || !Number.isFinite(intensity)) return null
  if (intensity <= 0 || intensity > 5) return null
  const n = Math.max(1, Math.round(intensity)) as Intensity
  return value === 1 || n === 1 ? n : null
}
