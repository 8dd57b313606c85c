import sharp from 'sharp'
import { FACE_BACKENDS, FaceFinderOptionsSchema, type FaceBackendChoice } from '../src/shared/faces'
import { selectFaceBackend } from '../src/main/faces/backend'
import { findFacesInPhoto, loadFaceEngine, type StageTimes } from '../src/main/faces/find-in-photo'
import { faceApiDemoPhoto as demoPhoto } from '../src/main/faces/models'

// `affect bench faces`: photos of 1920 px (face-api's six demo group photos, 3 to 5 faces each)
// through decoding, detection, landmarks and aligned crops, on one core: libvips limited to one
// thread, tfjs on one thread. Target: 3 photos per second or more.

export const FACES_TARGET_PHOTOS_PER_SECOND = 3

export interface FacesBenchOptions {
  /** Passes over the photos (default 3: 18 photos). */
  rounds?: number
  /** How many of the six demo photos each pass takes (default all six; fewer for a quick check). */
  photos?: number
  /** auto | native | wasm | cpu (checked: it comes from the command line). */
  backend?: string
  onLine?: (line: string) => void
}

export interface FacesBenchResult {
  photos: number
  faces: number
  seconds: number
  photosPerSecond: number
  /**
   * Photos per second of this process's CPU time: what one free core gives. On a machine shared
   * with other work the wall-clock rate is lower, this one is not.
   */
  photosPerCpuSecond: number
  backend: string
  /** Mean CPU milliseconds per photo in each stage. */
  msPerPhoto: StageTimes
}

const DEMO_PHOTOS = [1, 2, 3, 4, 5, 6] as const

const isFaceBackend = (name: string): name is FaceBackendChoice => (FACE_BACKENDS as readonly string[]).includes(name)

export async function runFacesBench(opts: FacesBenchOptions = {}): Promise<FacesBenchResult> {
  const rounds = opts.rounds ?? 3
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds: expected a whole number of at least 1, got ${rounds}`)
  const set = DEMO_PHOTOS.slice(0, opts.photos ?? DEMO_PHOTOS.length)
  if (set.length === 0) throw new Error(`photos: expected 1 to ${DEMO_PHOTOS.length}, got ${opts.photos}`)
  const choice = opts.backend ?? 'auto'
  if (!isFaceBackend(choice))
    throw new Error(`--backend: the face finder runs on ${FACE_BACKENDS.join(', ')}, not '${choice}'`)
  const threadsBefore = sharp.concurrency()
  sharp.concurrency(1)
  try {
    const backend = await selectFaceBackend(choice, 1)
    opts.onLine?.(
      `Face finder on ${backend.name}: ${backend.tried.find((t) => t.backend === backend.name)?.reason ?? ''}`,
    )
    const engine = await loadFaceEngine()
    const options = FaceFinderOptionsSchema.parse({})
    // Warm-up: the first inference compiles kernels and allocates.
    await findFacesInPhoto(engine, demoPhoto(1), options)
    const times: StageTimes = { decode: 0, detect: 0, landmarks: 0, crops: 0 }
    let faces = 0
    const start = performance.now()
    const cpuStart = process.cpuUsage()
    for (let round = 0; round < rounds; round++) {
      for (const n of set) {
        const result = await findFacesInPhoto(engine, demoPhoto(n), options, times)
        if (!result.ok) throw new Error(`benchmark photo ${result.path} gave no faces: ${result.problem.message}`)
        faces += result.faces.length
      }
    }
    const seconds = (performance.now() - start) / 1000
    const cpu = process.cpuUsage(cpuStart)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6
    const photos = rounds * set.length
    const per = (ms: number): number => ms / photos
    return {
      photos,
      faces,
      seconds,
      photosPerSecond: photos / seconds,
      photosPerCpuSecond: photos / cpuSeconds,
      backend: backend.name,
      msPerPhoto: {
        decode: per(times.decode),
        detect: per(times.detect),
        landmarks: per(times.landmarks),
        crops: per(times.crops),
      },
    }
  } finally {
    sharp.concurrency(threadsBefore)
  }
}

/** The human summary of a run. */
export function facesBenchLines(r: FacesBenchResult): string[] {
  const ms = r.msPerPhoto
  return [
    `Faces in ${r.photos} photo${r.photos === 1 ? '' : 's'} of 1920 px (${r.faces} faces), one core, ${r.backend}: ${r.photosPerSecond.toFixed(2)} photos/s in ${r.seconds.toFixed(1)} s; ${r.photosPerCpuSecond.toFixed(2)} photos per CPU second (target >= ${FACES_TARGET_PHOTOS_PER_SECOND})`,
    `  CPU time per photo: decode ${ms.decode.toFixed(0)} ms, detection ${ms.detect.toFixed(0)} ms, landmarks ${ms.landmarks.toFixed(0)} ms, aligned crops ${ms.crops.toFixed(0)} ms`,
  ]
}
