import { join } from 'node:path'
import type { DatasetReader, ImportIssue, ReaderItem } from '../record'
import { catalogueAu, inCatalogueOrder } from './common/classes'
import { framesByNumber } from './common/frames'
import { DatasetRoot } from './common/root'
import { disfaLabels, subjectCoding, subjectsOf } from './disfa-coding'
import { disfaVideoFolder, readDisfaVideos } from './disfa-video'

// DISFA: ActionUnit_Labels/SN001/SN001_au1.txt, lines `frame,intensity` (0-5) per AU. An AU counts as
// present from intensity 2 (B) on, the usual binarisation; the intensity itself is kept. Images are
// frames the user extracted from the videos, one folder per subject, or, without an Images folder,
// the frames of DISFA's own videos (Videos_LeftCamera/LeftVideoSN001_comp.avi, disfa-video.ts).

export const disfaReader: DatasetReader = {
  format: 'disfa',
  describe:
    'DISFA: ActionUnit_Labels/SN001/SN001_au1.txt (frame,intensity 0-5) + Videos_LeftCamera/LeftVideoSN001_comp.avi (camera: left|right), or frames in Images/SN001/ (imagesDir, frameOffset)',

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
    const videos = await disfaVideoFolder(dataset, options)
    if (videos) return yield* readDisfaVideos(dataset, subjects, videos, options)
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
        yield {
          kind: 'record',
          source: { file, row: frame },
          image: { type: 'file', path },
          labels: disfaLabels(frames.get(frame)),
        }
      }
    }
  },
}
