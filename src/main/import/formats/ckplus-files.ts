import { join } from 'node:path'
import { isIntensity, type Intensity } from '../../../shared/intensity'
import type { ImportIssue, LabelEntry } from '../record'
import { catalogueAu } from './common/classes'
import { isFolder, sortedEntries, type DatasetRoot } from './common/root'
import { quoted } from './common/shown'
import { readText } from './common/text-file'

// CK+ label files: FACS/S005/001/S005_001_00000011_facs.txt (lines `AU intensity`, both floats) and
// Emotion/S005/001/S005_001_00000011_emotion.txt (one float 0-7), for the peak frame only.

/** The first existing folder among the names the CK+ archives unpack to. */
export async function firstFolder(dataset: DatasetRoot, candidates: string[][]): Promise<string | undefined> {
  for (const parts of candidates) if (await isFolder(dataset.at(...parts))) return dataset.at(...parts)
  return undefined
}

/**
 * Files under `dir` whose names end with `suffix`, keyed by their path relative to `dir` minus the
 * suffix. Links to folders are not walked (a loop would key one file many times); each goes to `skipped`.
 */
export async function labelFilesUnder(
  dataset: DatasetRoot,
  dir: string | undefined,
  suffix: string,
  skipped: ImportIssue[],
  prefix = '',
): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (!dir) return out
  for (const e of await sortedEntries(dir)) {
    const abs = join(dir, e.name)
    if (e.folder && e.link) skipped.push(await dataset.folderLinkIssue(abs))
    else if (e.folder)
      for (const [k, v] of await labelFilesUnder(dataset, abs, suffix, skipped, `${prefix}${e.name}/`)) out.set(k, v)
    else if (e.file && e.name.endsWith(suffix)) out.set(prefix + e.name.slice(0, -suffix.length), abs)
  }
  return out
}

const numbers = (text: string): number[] => text.trim().split(/\s+/).filter(Boolean).map(Number)

/** The emotion code of an _emotion.txt file, or the issue saying why it cannot be read. */
export async function readEmotion(abs: string, file: string): Promise<{ code: string } | ImportIssue> {
  const text = await readText(abs)
  const values = numbers(text)
  if (values.length !== 1 || !Number.isFinite(values[0])) {
    return {
      kind: 'issue',
      file,
      row: 1,
      reason: 'malformed row',
      detail: `expected one number 0-7, found ${quoted(text.trim())}; emotion left unknown`,
    }
  }
  return { code: String(values[0]) }
}

export interface FacsCoding {
  /** Catalogue AU code -> FACS intensity 1-5 (A-E); undefined when coded 0: present, intensity not given. */
  present: Map<string, Intensity | undefined>
  /** AU numbers coded in the file that are no catalogue class. */
  uncatalogued: number[]
  /** Intensities that are no FACS level (not 0-5, or a fraction): that AU kept present, intensity not coded. */
  notes: ImportIssue[]
}

/** A FACS file's intensity: 0 = not given; 1-5 = A-E; anything else is reported and not kept. */
function facsIntensity(
  intensity: number,
  at: { file: string; row: number; code: string },
  notes: ImportIssue[],
): Intensity | undefined {
  if (intensity === 0) return undefined
  if (isIntensity(intensity)) return intensity
  notes.push({
    kind: 'issue',
    file: at.file,
    row: at.row,
    column: 'intensity',
    reason: 'bad label value',
    detail: `${at.code} intensity ${intensity} is no FACS level (0 not given, 1-5 = A-E); ${at.code} kept present, intensity not coded`,
    kept: true,
  })
  return undefined
}

/** Parses a _facs.txt file; any malformed line makes the whole file an issue (its AUs stay unknown). */
export async function readFacs(abs: string, file: string): Promise<FacsCoding | ImportIssue> {
  const present = new Map<string, Intensity | undefined>()
  const uncatalogued: number[] = []
  const notes: ImportIssue[] = []
  const lines = (await readText(abs)).split(/\r?\n/)
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue
    const [au, intensity, ...rest] = numbers(line)
    if (rest.length || !Number.isInteger(au) || au <= 0 || !Number.isFinite(intensity) || intensity < 0) {
      return {
        kind: 'issue',
        file,
        row: i + 1,
        reason: 'malformed row',
        detail: `expected "AU intensity", found ${quoted(line.trim())}; this frame's AUs left unknown`,
      }
    }
    const code = catalogueAu(au)
    if (code) present.set(code, facsIntensity(intensity, { file, row: i + 1, code }, notes))
    else uncatalogued.push(au)
  }
  return { present, uncatalogued, notes }
}

/** Labels of a coded FACS file: listed AUs present, every other AU of the CK+ label space absent. */
export function facsLabels(coding: FacsCoding, auSpace: readonly string[]): Record<string, LabelEntry> {
  const labels: Record<string, LabelEntry> = {}
  for (const code of auSpace) labels[code] = { value: 0 }
  for (const [code, intensity] of coding.present)
    labels[code] = intensity === undefined ? { value: 1 } : { value: 1, intensity }
  return labels
}
