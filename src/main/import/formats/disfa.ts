import { join } from 'node:path'
import { DatasetError, type DatasetReader, type ImportIssue, type LabelEntry, type ReaderItem } from '../record'
import { labelOfFacsCode, type Intensity } from '../../../shared/intensity'
import { auCode } from '../../../shared/labels'
import { catalogueAu, inCatalogueOrder } from './common/classes'
import { textLines } from './common/csv-rows'
import { quoted } from './common/shown'
import { framesByNumber } from './common/frames'
import { DatasetRoot, isFolder, sortedEntries } from './common/root'

// DISFA: ActionUnit_Labels/SN001/SN001_au1.txt, lines `frame,intensity` (0-5) per AU. An AU counts as
// present from intensity 2 (B) on, the usual binarisation; the intensity itself is kept as FACS A-E
// (1-5), so a trace (1, A) is absent with its A kept (shared/intensity.ts). Images are frames the
// user extracted from the videos, one folder per subject.

/** DISFA counts an AU present from B (2) on. */
const PRESENT_FROM = 2
const AU_FILE = /_au(\d+)\.txt$/i

interface Subject {
  name: string
  dir: string
  files: { abs: string; au: number }[]
}

/** The subjects' label folders; a link to a folder is reported and not read (see imagesUnder). */
async function subjectsOf(dataset: DatasetRoot, skipped: ImportIssue[] = []): Promise<Subject[]> {
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

/** frame -> AU code -> intensity for one subject, with the issues of its files. */
async function subjectCoding(
  dataset: DatasetRoot,
  subject: Subject,
): Promise<{ frames: Map<number, Map<string, 0 | Intensity>>; issues: ImportIssue[] }> {
  const frames = new Map<number, Map<string, 0 | Intensity>>()
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
  return { frames, issues }
}

export const disfaReader: DatasetReader = {
  format: 'disfa',
  describe:
    'DISFA: ActionUnit_Labels/SN001/SN001_au1.txt (frame,intensity 0-5; present from 2) + extracted frames in Images/SN001/ (imagesDir, frameOffset)',

  async labelSpace(root) {
    const subjects = await subjectsOf(await DatasetRoot.open(root))
    return inCatalogueOrder(subjects.flatMap((s) => s.files.map((f) => catalogueAu(f.au) ?? '')))
  },

  async *read(root, options): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root)
    const imagesDir = dataset.folder(options.imagesDir ?? 'Images')
    const offset = options.frameOffset ?? 0
    const linked: ImportIssue[] = []
    const subjects = await subjectsOf(dataset, linked)
    yield* linked
    for (const subject of subjects) {
      const { frames, issues } = await subjectCoding(dataset, subject)
      yield* issues
      const file = dataset.rel(subject.dir)
      const folder = join(imagesDir, subject.name)
      const images = await framesByNumber(folder)
      if (!images) {
        if (frames.size)
          yield {
            kind: 'issue',
            file,
            reason: 'missing image',
            detail: `no frame images in ${dataset.rel(folder)}: extract ${subject.name}'s video frames there (or set imagesDir); ${frames.size} labelled frames skipped`,
          }
        continue
      }
      for (const frame of [...frames.keys()].sort((a, b) => a - b)) {
        const path = images.get(frame + offset)
        if (!path) {
          yield {
            kind: 'issue',
            file,
            row: frame,
            reason: 'missing image',
            detail: `frame ${frame}: no image numbered ${frame + offset} in ${dataset.rel(folder)}`,
          }
          continue
        }
        const labels: Record<string, LabelEntry> = {}
        for (const [code, intensity] of frames.get(frame)!) labels[code] = labelOfFacsCode(intensity, PRESENT_FROM)
        yield { kind: 'record', source: { file, row: frame }, image: { type: 'file', path }, labels }
      }
    }
  },
}
