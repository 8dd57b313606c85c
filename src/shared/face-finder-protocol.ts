import type { FaceBackendReport, FaceFinderOptions, PhotoFaces } from './faces'

// The typed messages between main and the face finder process (child_process.fork in Node,
// utilityProcess.fork in Electron). The finder reads photos and never writes the catalogue: main
// decides what to keep from the results it streams back.

/**
 * A frame of a video for the finder to decode itself: the video's own frame number (from 1) at its
 * own rate and size. Frames of one video are best given in order: the finder decodes them in one
 * pass. `name` is what results and messages call it (e.g. `clip.mp4#12`).
 */
export interface VideoFrameSource {
  video: string
  frame: number
  nativeFps: number
  width: number
  height: number
  name: string
}

/** A photo file's path, or a video frame. */
export type PhotoSource = string | VideoFrameSource

/** Main -> face finder. The first message is `find`; `stop` may follow. */
export type FaceFinderCommand =
  | { type: 'find'; photos: PhotoSource[]; options: FaceFinderOptions }
  /** Finish the photo in hand, report `finished` with stopped: true, exit. */
  | { type: 'stop' }

/** Face finder -> main. */
export type FaceFinderMessage =
  /** The networks are loaded; photos follow in order. */
  | { type: 'ready'; backend: FaceBackendReport }
  /** The result for photos[index]. */
  | { type: 'photo'; index: number; result: PhotoFaces }
  | { type: 'finished'; stopped: boolean }
  /** The reason is for the user, in words they can act on. */
  | { type: 'failed'; reason: string; detail?: string }
