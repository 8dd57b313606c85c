import { join } from 'node:path'
import type { DatasetReader, ImportIssue, ReaderItem } from '../record'
import { readVideo } from '../../video/read-video'
import { isVideoName } from '../../video/video-files'
import { DatasetRoot, sortedEntries } from './common/root'

// Videos (mp4, avi, mov, mkv, webm): one file, or every video under a folder. Each frame becomes a
// catalogue image with its video, number and time (src/main/video/read-video.ts); no labels: a
// coder codes them in the video coding view, or a DISFA layout brings its own (disfa.ts).

/** Video files under `dir`, recursively, sorted; links to folders are reported, never walked. */
async function* videosUnder(root: DatasetRoot, dir: string): AsyncGenerator<string | ImportIssue> {
  for (const e of await sortedEntries(dir)) {
    if (e.name.startsWith('.')) continue
    const abs = join(dir, e.name)
    if (e.folder && e.link) yield await root.folderLinkIssue(abs)
    else if (e.folder) yield* videosUnder(root, abs)
    else if (e.file && isVideoName(e.name)) yield abs
  }
}

export const videoReader: DatasetReader = {
  format: 'video',
  describe:
    'a video file or a folder of videos (mp4, avi, mov, mkv, webm); every frame an image (option fps: frames per second to take)',

  labelSpace: async () => [],

  async *read(root, options): AsyncGenerator<ReaderItem> {
    const dataset = await DatasetRoot.open(root, 'folder or label file')
    const given = dataset.labelFile(undefined)
    const videos = given ? [dataset.at(given)] : videosUnder(dataset, dataset.dir)
    let found = 0
    for await (const video of videos) {
      if (typeof video !== 'string') {
        yield video
        continue
      }
      found++
      yield* readVideo({ file: dataset.rel(video), abs: video, fps: options.fps })
    }
    if (!found)
      yield {
        kind: 'issue',
        file: '.',
        reason: 'missing image',
        detail: `no video (mp4, avi, mov, mkv, webm) in ${dataset.dir}`,
      }
  },
}
