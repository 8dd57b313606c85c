import type { FaceFinderMessage } from '../../../shared/face-finder-protocol'
import type { FaceFinderOptions } from '../../../shared/faces'
import { isOutOfMemory } from '../../trainer/process/failure'
import { selectFaceBackend } from '../backend'
import { findFacesInPhoto, loadFaceEngine } from '../find-in-photo'

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
  photos: string[],
  options: FaceFinderOptions,
  send: (message: FaceFinderMessage) => void,
  stopRequested: () => boolean,
): Promise<FindOutcome> {
  try {
    const backend = await selectFaceBackend(options.backend)
    const engine = await loadFaceEngine()
    send({ type: 'ready', backend })
    for (const [index, path] of photos.entries()) {
      if (stopRequested()) {
        send({ type: 'finished', stopped: true })
        return 'stopped'
      }
      send({ type: 'photo', index, result: await findFacesInPhoto(engine, path, options) })
    }
    send({ type: 'finished', stopped: false })
    return 'finished'
  } catch (error) {
    send({ type: 'failed', ...explainFaceFailure(error) })
    return 'failed'
  }
}
