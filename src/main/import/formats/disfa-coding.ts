import { join } from 'node:path'
import { DatasetError, type ImportIssue, type LabelEntry } from '../record'
import { labelOfFacsCode, type Intensity } from '../../../shared/intensity'
import { auCode } from '../../../shared/labels'
import { catalogueAu } from './common/classes'
import { textLines } from './common/csv-rows'
import { quoted } from './common/shown'
import { DatasetRoot, isFolder, sortedEntries } from './common/root'

// DISFA's label files, read the same way for extracted frames (disfa.ts) and for its videos
// (disfa-video.ts). An AU counts as present from intensity 2 (B) on, the usual binarisation; the
// intensity itself is kept as FACS A-E (1-5), so a trace (1, A) is absent with its A kept
// (shared/intensity.ts).

/** DISFA counts an AU present from B (2) on. */
const PRESENT_FROM = 2
const AU_FILE = /_au(\d+)\.txt$/i

export interface Subject {
  name: string
  dir: string
  files: { abs: string; au: number }[]
}

/** The subjects' label folders; a link to a folder is reported and not read (see imagesUnder). */
export async function subjectsOf(dataset: DatasetRoot, skipped: ImportIssue[] = []): Promise<Subject[]> {
  const labels = dataset.at('ActionUnit_Labels')
  if (!(await isFolder(labels)))
    throw new DatasetError(`No ActionUnit_Labels folder in ${dataset.dir}: pass the DISFA folder.`, dataset.dir)
  const subjects: Subject[] = []
  for (const e of await sortedEntries(labels)) {
    if (!e.folder) continue
    const dir = join(labels, e.name)
    if (e.link) {
      skipped.push(await dataset.folderLinkIssue(dir))
      continue
    }
    const files = (await sortedEntries(dir)).flatMap((f) => {
      const m = f.file ? AU_FILE.exec(f.name) : null
      return m ? [{ abs: join(dir, f.name), au: Number(m[1]) }] : []
    })
    subjects.push({ name: e.name, dir, files })
  }
  return subjects
}

/** One subject's coding: frame -> AU code -> intensity, and the label file and line each came from. */
export interface SubjectCoding {
  frames: Map<number, Map<string, 0 | Intensity>>
  /** `${frame} ${code}` -> where it was read. */
  lineOf: Map<string, { file: string; line: number }>
  issues: ImportIssue[]
}

/** A frame's known labels from its DISFA intensities. */
export function disfaLabels(coded: Map<string, 0 | Intensity> | undefined): Record<string, LabelEntry> {
  const labels: Record<string, LabelEntry> = {}
  for (const [code, intensity] of coded ?? []) labels[code] = labelOfFacsCode(intensity, PRESENT_FROM)
  return labels
}

/** frame -> AU code -> intensity for one subject, with the issues of its files. */
export async function subjectCoding(dataset: DatasetRoot, subject: Subject): Promise<SubjectCoding> {
  const frames = new Map<number, Map<string, 0 | Intensity>>()
  const lineOf = new Map<string, { file: string; line: number }>()
  const issues: ImportIssue[] = []
  for (const { abs, au } of subject.files) {
    const file = dataset.rel(abs)
    const code = catalogueAu(au)
    if (!code) {
      issues.push({
        kind: 'issue',
        file,
        reason: 'unknown code',
        detail: `${auCode(au)} is no catalogue class; file skipped`,
      })
      continue
    }
    let lines = 0
    for await (const { line, text } of textLines(abs)) {
      lines++
      const parts = text.split(/\s*[,\s]\s*/)
      const frame = Number(parts[0])
      if (parts.length !== 2 || !Number.isInteger(frame) || frame < 0 || parts[0] === '' || parts[1] === '') {
        issues.push({
          kind: 'issue',
          file,
          row: line,
          reason: 'malformed row',
          detail: `expected "frame,intensity", found ${quoted(text)}; line skipped`,
        })
        continue
      }
      const intensity = Number(parts[1])
      if (!Number.isInteger(intensity) || intensity < 0 || intensity > 5) {
        issues.push({
          kind: 'issue',
          file,
          row: line,
          column: 'intensity',
          reason: 'bad label value',
          detail: `intensity ${quoted(parts[1])} is not 0-5; ${code} left unknown for frame ${frame}`,
          kept: true,
        })
      } else {
        let coded = frames.get(frame)
        if (!coded) frames.set(frame, (coded = new Map()))
        coded.set(code, intensity as 0 | Intensity)
        lineOf.set(`${frame} ${code}`, { file, line })
      }
    }
    if (!lines)
      issues.push({
        kind: 'issue',
        file,
        reason: 'empty file',
        detail: `${file} is empty; ${code} unknown for every frame of ${subject.name}`,
      })
  }
  return { frames, lineOf, issues }
}
