import { join } from 'node:path'
import { labelOfFacsCode, type Intensity } from '../../../shared/intensity'
import type { ImportIssue, LabelEntry } from '../record'
import { catalogueAu } from './common/classes'
import { csvRows, isIssue } from './common/csv-rows'
import { isFolder, sortedEntries, type DatasetRoot } from './common/root'
import { quoted } from './common/shown'

// BP4D's intensity coding (the FERA 2015 layout): AUCoding/AU_INT/AU06/F001_T1_AU06.csv, one file per
// AU and sequence, lines `frame,intensity` (no header; one is skipped if present) with 0 = absent,
// 1-5 = A-E and 9 = not coded. BP4D counts every level A-E as present. These intensities are merged
// into the frames of AU_OCC/F001_T1.csv; the occurrence file wins where the two disagree.

const NOT_CODED = 9
const INT_FILE = /^(.+)_AU0*(\d+)\.csv$/i

/** frame -> AU code -> 0 (absent) or 1-5 (A-E), for one sequence, with the files it came from. */
export interface SequenceIntensities {
  frames: Map<number, Map<string, 0 | Intensity>>
  /** AU code -> the intensity file, relative to the dataset root (for messages). */
  files: Map<string, string>
  /** `frame:code` -> the line of the intensity file that coded it. */
  rows: Map<string, number>
}

/** Sequence name (F001_T1) -> the intensity files of that sequence, by AU code. */
export async function intensityFiles(dataset: DatasetRoot): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>()
  const dir = dataset.at('AUCoding', 'AU_INT')
  if (!(await isFolder(dir))) return out
  for (const folder of await sortedEntries(dir)) {
    if (!folder.folder || folder.link) continue
    for (const e of await sortedEntries(join(dir, folder.name))) {
      const m = e.file ? INT_FILE.exec(e.name) : null
      const code = m ? catalogueAu(Number(m[2])) : undefined
      if (!m || !code) continue
      if (!out.has(m[1])) out.set(m[1], new Map())
      out.get(m[1])!.set(code, join(dir, folder.name, e.name))
    }
  }
  return out
}

/** Reads one sequence's intensity files; a line that is not `frame,0-5 or 9` is reported and skipped. */
export async function readIntensities(
  dataset: DatasetRoot,
  files: Map<string, string> | undefined,
): Promise<{ sequence: SequenceIntensities; issues: ImportIssue[] }> {
  const sequence: SequenceIntensities = { frames: new Map(), files: new Map(), rows: new Map() }
  const issues: ImportIssue[] = []
  for (const [code, abs] of files ?? []) {
    const file = dataset.rel(abs)
    sequence.files.set(code, file)
    for await (const row of csvRows(abs, file)) {
      if (isIssue(row)) {
        issues.push(row)
        continue
      }
      const [frameText = '', valueText = ''] = row.fields.map((f) => f.trim())
      const frame = Number(frameText)
      const value = Number(valueText)
      if (row.row === 1 && !/^\d+$/.test(frameText)) continue // a header line
      const ok = /^\d+$/.test(frameText) && /^\d+$/.test(valueText) && (value <= 5 || value === NOT_CODED)
      if (!ok || row.fields.length !== 2) {
        issues.push({
          kind: 'issue',
          file,
          row: row.row,
          reason: 'bad label value',
          detail: `expected "frame,intensity" with intensity 0-5 or 9 (not coded), found ${quoted(row.fields.join(','))}; ${code} intensity left out for this line`,
          kept: true,
        })
        continue
      }
      if (value === NOT_CODED) continue
      if (!sequence.frames.has(frame)) sequence.frames.set(frame, new Map())
      sequence.frames.get(frame)!.set(code, value as 0 | Intensity)
      sequence.rows.set(`${frame}:${code}`, row.row)
    }
  }
  return { sequence, issues }
}

/**
 * One frame's occurrence labels with its intensities merged in: an AU coded only in the intensity
 * file gets its label from there; where both say the same, the intensity is added; where they
 * disagree (occurrence 0, intensity B), the occurrence stays and the disagreement is reported.
 */
export function withIntensities(
  labels: Record<string, LabelEntry>,
  coded: Map<string, 0 | Intensity> | undefined,
  sequence: SequenceIntensities,
  frame: number,
): { labels: Record<string, LabelEntry>; notes: ImportIssue[] } {
  const out = { ...labels }
  const notes: ImportIssue[] = []
  for (const [code, intensity] of coded ?? []) {
    const fromFile = labelOfFacsCode(intensity, 1)
    const occurrence = out[code]
    if (!occurrence || occurrence.value === fromFile.value) out[code] = fromFile
    else
      notes.push({
        kind: 'issue',
        file: sequence.files.get(code)!,
        row: sequence.rows.get(`${frame}:${code}`),
        reason: 'bad label value',
        detail: `frame ${frame}: ${code} intensity ${intensity} disagrees with occurrence ${occurrence.value} in AU_OCC; the occurrence kept, intensity left out`,
        kept: true,
      })
  }
  return { labels: out, notes }
}
