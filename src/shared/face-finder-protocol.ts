import type { FaceBackendReport, FaceFinderOptions, PhotoFaces } from './faces'

// The typed messages between main and the face finder process (child_process.fork in Node,
// utilityProcess.fork in Electron). The finder reads photos and never writes the catalogue: main
// decides what to keep from the results it streams back.

/** Main -> face finder. The first message is `find`; `stop` may follow. */
export type FaceFinderCommand =
  | { type: 'find'; photos: string[]; options: FaceFinderOptions }
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
