import { extname, join, relative, sep } from 'node:path'
import {
  DatasetError,
  type DatasetReader,
  type ImportIssue,
  type ImportRecord,
  type LabelEntry,
  type ReaderItem,
} from '../record'
import { datasetCodes, inCatalogueOrder, oneHot } from './common/classes'
import { DatasetRoot, imagesUnder } from './common/root'
import { facsLabels, firstFolder, labelFilesUnder, readEmotion, readFacs, type FacsCoding } from './ckplus-files'

// CK+: peak frames coded with FACS and/or an emotion. A FACS file lists the AUs present; the other
// AUs of the CK+ label space are then known absent. A frame without an Emotion file has an unknown
// emotion, not "neutral".

interface Layout {
  images: string
  emotion?: string
  facs?: string
  dataset: DatasetRoot
}

async function layoutOf(root: string): Promise<Layout> {
  const dataset = await DatasetRoot.open(root)
  const images = await firstFolder(dataset, [
    ['cohn-kanade-images'],
    ['extended-cohn-kanade-images', 'cohn-kanade-images'],
  ])
  if (!images)
    throw new DatasetError(
      `No cohn-kanade-images folder in ${dataset.dir}: pass the CK+ folder holding cohn-kanade-images, Emotion and FACS.`,
      dataset.dir,
    )
  const emotion = await firstFolder(dataset, [['Emotion'], ['Emotion_labels', 'Emotion']])
  const facs = await firstFolder(dataset, [['FACS'], ['FACS_labels', 'FACS']])
  return { images, emotion, facs, dataset }
}

interface Coded {
  facs: Map<string, FacsCoding | ImportIssue>
  emotions: Map<string, string>
  facsFiles: Map<string, string>
  auSpace: string[]
  /** Links to folders met in the label folders, not followed. */
  linkIssues: ImportIssue[]
}

/** Reads every FACS file (a few hundred small files): the AU label space must be known before any record. */
async function readCoding(l: Layout): Promise<Coded> {
  const linkIssues: ImportIssue[] = []
  const facsFiles = await labelFilesUnder(l.dataset, l.facs, '_facs.txt', linkIssues)
  const emotions = await labelFilesUnder(l.dataset, l.emotion, '_emotion.txt', linkIssues)
  const facs = new Map<string, FacsCoding | ImportIssue>()
  const aus = new Set<string>()
  for (const [key, abs] of facsFiles) {
    const coding = await readFacs(abs, l.dataset.rel(abs))
    facs.set(key, coding)
    if (!('kind' in coding)) for (const code of coding.present.keys()) aus.add(code)
  }
  return { facs, facsFiles, emotions, auSpace: inCatalogueOrder(aus), linkIssues }
}

/** cohn-kanade-images/S005/001/S005_001_00000011.png for the key S005/001/S005_001_00000011. */
const frameImage = (l: Layout, key: string): string => join(l.images, ...key.split('/')) + '.png'

const emotionSpace = (): string[] => inCatalogueOrder(datasetCodes('ckplus').values())

export const ckplusReader: DatasetReader = {
  format: 'ckplus',
  describe:
    'CK+: cohn-kanade-images/, FACS/ (*_facs.txt) and Emotion/ (*_emotion.txt); peak frames (allFrames for every frame, unlabelled)',

  async labelSpace(root) {
    return [...emotionSpace(), ...(await readCoding(await layoutOf(root))).auSpace]
  },

  async *read(root, options): AsyncGenerator<ReaderItem> {
    const l = await layoutOf(root)
    const { dataset } = l
    const coded = await readCoding(l)
    yield* coded.linkIssues
    const codes = datasetCodes('ckplus')
    const emotions = emotionSpace()
    const reported = new Set<number>()

    /** Labels of one frame from its files, with the issues met on the way. */
    async function labelsOf(
      key: string,
    ): Promise<{ labels: Record<string, LabelEntry>; issues: ImportIssue[]; file: string }> {
      const issues: ImportIssue[] = []
      let labels: Record<string, LabelEntry> = {}
      const emotionAbs = coded.emotions.get(key)
      if (emotionAbs) {
        const file = dataset.rel(emotionAbs)
        const read = await readEmotion(emotionAbs, file)
        if ('kind' in read) issues.push(read)
        else if (!codes.has(read.code))
          issues.push({
            kind: 'issue',
            file,
            row: 1,
            reason: 'bad label value',
            detail: `emotion ${read.code} is not 0-7; emotion left unknown`,
            kept: true,
          })
        else labels = oneHot(codes.get(read.code)!, emotions)
      }
      const facs = coded.facs.get(key)
      if (facs && 'kind' in facs) issues.push(facs)
      else if (facs) {
        Object.assign(labels, facsLabels(facs, coded.auSpace))
        issues.push(...facs.notes)
        for (const au of facs.uncatalogued) {
          if (reported.has(au)) continue
          reported.add(au)
          issues.push({
            kind: 'issue',
            file: dataset.rel(coded.facsFiles.get(key)!),
            reason: 'unknown code',
            detail: `AU${au} is no catalogue class; ignored in every FACS file`,
          })
        }
      }
      return { labels, issues, file: dataset.rel(emotionAbs ?? coded.facsFiles.get(key)!) }
    }

    const labelled = [...new Set([...coded.emotions.keys(), ...coded.facs.keys()])].sort()
    if (!options.allFrames) {
      for (const key of labelled) {
        const { labels, issues, file } = await labelsOf(key)
        yield* issues
        if (!Object.keys(labels).length) continue
        const located = await dataset.checkFile(frameImage(l, key), { file })
        yield 'kind' in located
          ? located
          : { kind: 'record', source: { file }, image: { type: 'file', path: located.path }, labels }
      }
      return
    }
    // Every frame: walk the images, label the coded ones, then report coded frames with no image.
    const pending = new Set(labelled)
    for await (const path of imagesUnder(dataset, l.images)) {
      if (typeof path !== 'string') {
        yield path
        continue
      }
      const key = relative(l.images, path).split(sep).join('/').slice(0, -extname(path).length)
      const record: ImportRecord = {
        kind: 'record',
        source: { file: dataset.rel(path) },
        image: { type: 'file', path },
        labels: {},
      }
      if (pending.delete(key)) {
        const { labels, issues, file } = await labelsOf(key)
        yield* issues
        record.labels = labels
        record.source = { file }
      }
      yield record
    }
    for (const key of pending) {
      const file = dataset.rel(coded.emotions.get(key) ?? coded.facsFiles.get(key)!)
      yield {
        kind: 'issue',
        file,
        reason: 'missing image',
        detail: `${dataset.rel(frameImage(l, key))} does not exist`,
      }
    }
  },
}
