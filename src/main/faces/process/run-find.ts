import type { FaceFinderMessage, PhotoSource } from '../../../shared/face-finder-protocol'
import type { FaceFinderOptions, PhotoFaces } from '../../../shared/faces'
import { isOutOfMemory } from '../../trainer/process/failure'
import { selectFaceBackend } from '../backend'
import { facesInDecoded, findFacesInPhoto, loadFaceEngine, type FaceEngine } from '../find-in-photo'
import { PhotoProblemError, decodeFrame } from '../photo-pixels'
import { VideoFrameReader } from '../video-frames'

// One `find` command, start to end, independent of how messages travel: the process entry wraps
// it for child_process.fork and Electron's utilityProcess, tests call it in-process.

export type FindOutcome = 'finished' | 'stopped' | 'failed'

/** The `failed` message for an error that ends the whole command (not one photo's problem). */
export function explainFaceFailure(error: unknown): { reason: string; detail?: string } {
  const message = error instanceof Error ? error.message : String(error)
  const detail = error instanceof Error ? (error.stack ?? message) : undefined
  if (isOutOfMemory(message)) {
    return {
      reason:
        'the face finder ran out of memory: use a smaller working size (workingSize) or detection size, or split the photos into smaller batches.',
      detail,
    }
  }
  return { reason: message || 'the face finder stopped on an unexpected error', detail }
}

/**
 * Selects the backend, loads the networks and handles the photos in order, sending one `photo`
 * message each. Stops between photos once `stopRequested` says so. Never throws: a failure
 * becomes a `failed` message.
 */
export async function runFind(
  photos: PhotoSource[],
  options: FaceFinderOptions,
  send: (message: FaceFinderMessage) => void,
  stopRequested: () => boolean,
): Promise<FindOutcome> {
  try {
    const backend = await selectFaceBackend(options.backend)
    const engine = await loadFaceEngine()
    send({ type: 'ready', backend })
    const frames = new VideoFrameReader()
    try {
      for (const [index, source] of photos.entries()) {
        if (stopRequested()) {
          send({ type: 'finished', stopped: true })
          return 'stopped'
        }
        send({ type: 'photo', index, result: await facesOf(engine, source, options, frames) })
      }
    } finally {
      await frames.close()
    }
    send({ type: 'finished', stopped: false })
    return 'finished'
  } catch (error) {
    send({ type: 'failed', ...explainFaceFailure(error) })
    return 'failed'
  }
}

/** One photo's or video frame's faces; a frame that cannot be decoded is that frame's problem, named. */
async function facesOf(
  engine: FaceEngine,
  source: PhotoSource,
  options: FaceFinderOptions,
  frames: VideoFrameReader,
): Promise<PhotoFaces> {
  if (typeof source === 'string') return findFacesInPhoto(engine, source, options)
  try {
    const pixels = await frames.frame(source)
    return await facesInDecoded(engine, await decodeFrame(source.name, pixels, options), options)
  } catch (error) {
    if (!(error instanceof PhotoProblemError)) throw error
    return { path: source.name, ok: false, problem: { code: error.code, message: error.message } }
  }
}
