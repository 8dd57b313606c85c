import type { PhotoSource } from '../../../shared/face-finder-protocol'
import type { FoundFace } from '../../../shared/faces'
import { FaceTracker } from '../../video/face-tracks'
import { nativeFrameOf } from '../../video/frame-rate'
import type { PendingImage } from '../write-import'

// Video frames in the faces step of an import: what the face finder is handed for a frame (its
// video and the video's own frame number; the finder decodes it at full size), and the track each
// face found continues, so that the same person is the same face (`#face<N>`, `face_id`) in every
// frame of a video.

/** The finder's source for an image to search: its file, or its frame of its video. */
export function finderSource(image: PendingImage): PhotoSource {
  if (!image.frame) return image.file! // searched images are read from a file or are frames (import-batch.ts)
  const { video, number } = image.frame
  return {
    video: video.file,
    frame: nativeFrameOf(number, video.fps, video.nativeFps),
    nativeFps: video.nativeFps,
    width: video.width,
    height: video.height,
    name: image.path,
  }
}

/** One tracker per video of the import; frames must be given in their order within each video. */
export class FrameTracks {
  private readonly trackers = new Map<string, FaceTracker>()

  /** Each face's number in its item: its track for a frame, its place in the photo otherwise. */
  faceNumbers(image: PendingImage, faces: FoundFace[]): number[] {
    if (!image.frame) return faces.map((face) => face.index)
    const video = image.frame.videoPath
    let tracker = this.trackers.get(video)
    if (!tracker) this.trackers.set(video, (tracker = new FaceTracker()))
    return tracker.add(
      image.frame.number,
      faces.map((face) => face.box),
    )
  }

  /** How many tracks the videos gave (people followed through them). */
  get count(): number {
    return [...this.trackers.values()].reduce((n, t) => n + t.tracks, 0)
  }
}
