import { join } from 'node:path'
import type { ImportIssue, ReaderItem, ReaderOptions } from '../record'
import { readVideo } from '../../video/read-video'
import { disfaLabels, subjectCoding, type Subject } from './disfa-coding'
import { DatasetRoot, isFile, isFolder } from './common/root'

// DISFA as it ships: Videos_LeftCamera/LeftVideoSN001_comp.avi (or the right camera) beside
// ActionUnit_Labels/SN001/SN001_au12.txt, frames numbered from 1 in both. The videos are decoded
// directly (read-video.ts), no frames extracted by hand; each frame carries its intensities. A
// label line for a frame past the video's end is reported with its file and line.

const cameraOf = (options: ReaderOptions) => (options.camera === 'right' ? 'Right' : 'Left')

/**
 * The camera's video folder when the videos are to be read: a camera was asked for, or the dataset
 * has that folder and no extracted frames.
 */
export async function disfaVideoFolder(dataset: DatasetRoot, options: ReaderOptions): Promise<string | undefined> {
  const folder = dataset.at(`Videos_${cameraOf(options)}Camera`)
  if (options.camera) return folder
  if (options.imagesDir !== undefined || (await isFolder(dataset.at('Images')))) return undefined
  return (await isFolder(folder)) ? folder : undefined
}

export async function* readDisfaVideos(
  dataset: DatasetRoot,
  subjects: Subject[],
  folder: string,
  options: ReaderOptions,
): AsyncGenerator<ReaderItem> {
  const camera = cameraOf(options)
  const offset = options.frameOffset ?? 0
  for (const subject of subjects) {
    const { frames, lineOf, issues } = await subjectCoding(dataset, subject)
    yield* issues
    const abs = join(folder, `${camera}Video${subject.name}_comp.avi`)
    const file = dataset.rel(abs)
    if (!(await isFile(abs))) {
      yield {
        kind: 'issue',
        file: dataset.rel(subject.dir),
        reason: 'missing image',
        detail: `no video ${file} for ${subject.name}; its ${frames.size} labelled frames skipped`,
      }
      continue
    }
    let last = 0
    let dropped = false
    for await (const item of readVideo({
      file,
      abs,
      fps: options.fps,
      labelsOf: (frame) => disfaLabels(frames.get(frame - offset)),
    })) {
      if (item.kind === 'record' && item.image.type === 'frame') last = item.image.frame
      if (item.kind === 'issue' && item.dropsVideo) dropped = true
      yield item
    }
    if (dropped || options.fps) continue
    const beyond = [...frames.keys()].filter((f) => f + offset > last).sort((a, b) => a - b)
    yield* beyond.flatMap((frame) =>
      [...frames.get(frame)!.keys()].map((code): ImportIssue => {
        const at = lineOf.get(`${frame} ${code}`)!
        return {
          kind: 'issue',
          file: at.file,
          row: at.line,
          reason: 'frame past the end',
          detail: `frame ${frame} is past the end of ${file} (${last} frames); ${code} for it not imported`,
        }
      }),
    )
  }
}
