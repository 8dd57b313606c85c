import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WorkbenchError } from '../../shared/errors'
import type { FaceFinderCommand, FaceFinderMessage, PhotoSource } from '../../shared/face-finder-protocol'
import {
  FaceFinderOptionsSchema,
  type FaceBackendReport,
  type FaceFinderOptionsInput,
  type FaceFinderProgress,
  type PhotoFaces,
} from '../../shared/faces'
import { forkNodeProcess, type ChildLink, type TrainerExit } from '../runs/trainer-host'

// Main's side of the face finder: starts the finder process, hands it the photos, turns its
// messages into progress and results, and stops it on request. The networks and the decoded photos
// live in that process, so the UI and the headless server stay responsive while it works.

export type FaceFinderProcess = ChildLink<FaceFinderCommand, FaceFinderMessage>
export type FaceFinderLauncher = () => FaceFinderProcess

const here = dirname(fileURLToPath(import.meta.url))

/** The finder's entry: the TypeScript source (run through tsx) or, in a build, face-finder.js beside the bundle. */
export function faceFinderEntry(): { file: string; typescript: boolean } {
  const source = join(here, 'process', 'entry.ts')
  if (existsSync(source)) return { file: source, typescript: true }
  return { file: join(here, 'face-finder.js'), typescript: false }
}

/** child_process.fork: for the CLI, the headless server and tests (Electron passes a utilityProcess launcher). */
export const nodeFaceFinderLauncher: FaceFinderLauncher = () => forkNodeProcess(faceFinderEntry())

/** How long a stopped finder may take to finish the photo in hand before it is killed. */
const STOP_GRACE_MS = 30_000

export interface FindFacesCall {
  /** Called after each photo, in order, with its result. */
  onProgress?: (progress: FaceFinderProgress, photo: PhotoFaces) => void
  /** Aborting stops the finder after the photo in hand; the results so far are returned. */
  signal?: AbortSignal
  /** false: drop each crop from the returned list once onProgress has seen it (large imports write them there). */
  keepCrops?: boolean
  launch?: FaceFinderLauncher
}

export interface FindFacesResult {
  /** The result for photos[i], for i < photos.length: every photo, or fewer when stopped. */
  photos: PhotoFaces[]
  stopped: boolean
  /** Where the networks ran; null when there was no photo to look at. */
  backend: FaceBackendReport | null
  seconds: number
}

/** The face finder failed as a whole (not one photo): `message` says why in words a user can act on. */
export class FaceFinderError extends WorkbenchError {
  constructor(
    message: string,
    /** The underlying error's text, for a bug report; never shown in place of the message. */
    readonly detail?: string,
  ) {
    super('face_finder_failed', message)
    this.name = 'FaceFinderError'
  }
}

/** Words for a finder process that ended without saying why. */
export function describeFinderCrash(exit: TrainerExit): string {
  if (/heap out of memory|Allocation failed|ENOMEM|OOM/i.test(exit.stderrTail))
    return 'The face finder ran out of memory: use a smaller working size, or fewer photos at a time.'
  if (exit.signal)
    return `The face finder process was ended by signal ${exit.signal}${exit.signal === 'SIGKILL' ? ' (possibly by the system for using too much memory)' : ''}.`
  // Node ends a crash report with its version line: the error line before it says more.
  const lines = exit.stderrTail
    .trim()
    .split('\n')
    .filter((line) => line.trim() && !/^Node\.js v\d/.test(line.trim()))
  const said = [...lines].reverse().find((line) => /\b\w*Error\b/.test(line)) ?? lines.pop()
  return `The face finder process exited unexpectedly (code ${exit.code})${said ? `: ${said.trim()}` : ''}.`
}

function parseOptions(options: FaceFinderOptionsInput) {
  const parsed = FaceFinderOptionsSchema.safeParse(options)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`)
  throw new WorkbenchError('invalid_arguments', `invalid face finder options: ${issues.join('; ')}`, {
    fields: parsed.error.issues.map((i) => i.path.join('.')),
  })
}

/** Keeps the finder's results in photo order and reports progress after each. */
class PhotoCollector {
  readonly results: PhotoFaces[] = []
  private faces = 0
  private readyAt = performance.now()

  constructor(
    private readonly total: number,
    private readonly call: FindFacesCall,
  ) {}

  /** The networks are loaded: photo time (for the rate) starts now. */
  ready(): void {
    this.readyAt = performance.now()
  }

  add(index: number, result: PhotoFaces): void {
    if (index !== this.results.length)
      throw new FaceFinderError(
        `the face finder answered for photo ${index} while expecting photo ${this.results.length}`,
      )
    if (result.ok) this.faces += result.faces.length
    const done = index + 1
    const rate = done / Math.max(1e-3, (performance.now() - this.readyAt) / 1000)
    this.call.onProgress?.(
      {
        done,
        total: this.total,
        faces: this.faces,
        photosPerSecond: rate,
        etaSeconds: (this.total - done) / rate,
        path: result.path,
      },
      result,
    )
    if (this.call.keepCrops === false && result.ok) for (const face of result.faces) delete face.crop
    this.results.push(result)
  }
}

/**
 * Finds, landmarks and crops every face in `photos` (paths) in a separate process. Resolves with
 * one result per photo (faces, or the reason there are none); rejects with FaceFinderError when the
 * finder as a whole cannot run (no backend, missing models, crash).
 */
export async function findFaces(
  photos: PhotoSource[],
  options: FaceFinderOptionsInput = {},
  call: FindFacesCall = {},
): Promise<FindFacesResult> {
  const parsed = parseOptions(options)
  if (photos.length === 0 || call.signal?.aborted)
    return { photos: [], stopped: photos.length > 0, backend: null, seconds: 0 }
  const started = performance.now()
  const child = (call.launch ?? nodeFaceFinderLauncher)()
  const collector = new PhotoCollector(photos.length, call)
  let backend: FaceBackendReport | null = null
  return new Promise<FindFacesResult>((resolve, reject) => {
    let settled = false
    let killTimer: NodeJS.Timeout | undefined
    const finish = (stopped: boolean): void =>
      settle(() =>
        resolve({ photos: collector.results, stopped, backend, seconds: (performance.now() - started) / 1000 }),
      )
    const fail = (error: unknown): void => {
      child.kill()
      settle(() => reject(error))
    }
    const onAbort = (): void => {
      child.send({ type: 'stop' })
      killTimer = setTimeout(() => {
        child.kill()
        finish(true)
      }, STOP_GRACE_MS)
    }
    function settle(action: () => void): void {
      if (settled) return
      settled = true
      clearTimeout(killTimer)
      call.signal?.removeEventListener('abort', onAbort)
      action()
    }
    call.signal?.addEventListener('abort', onAbort, { once: true })
    child.onMessage((message) => {
      try {
        if (message.type === 'ready') {
          backend = message.backend
          collector.ready()
        } else if (message.type === 'photo') collector.add(message.index, message.result)
        else if (message.type === 'finished') finish(message.stopped)
        else if (message.type === 'failed') fail(new FaceFinderError(message.reason, message.detail))
      } catch (error) {
        fail(error)
      }
    })
    child.onExit((exit) => settle(() => reject(new FaceFinderError(describeFinderCrash(exit)))))
    child.send({ type: 'find', photos, options: parsed })
  })
}
