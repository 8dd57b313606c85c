import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FaceFinderOptionsSchema, type FaceBackendChoice } from '../src/shared/faces'
import { selectFaceBackend } from '../src/main/faces/backend'
import { findFacesInPhoto, loadFaceEngine } from '../src/main/faces/find-in-photo'
import { faceApiDemoPhoto } from '../src/main/faces/models'
import { fixturePhoto } from '../src/main/faces/test-photos.fixture'

// Memory over many photos (issue 12): the face finder, as an import runs it, over `photos` photos
// in turn (three with faces, one of them a 1920 px JPEG read in parts; one without; one
// unreadable), with the live tensor count and the process's resident memory at the start, every
// tenth of the way and at the end. Flat means the same tensors at the end as at the start and
// resident memory grown by less than RSS_SLACK_MB once warm (the first photos size the allocator's
// pools). The test in `npm test`
// (src/main/faces/memory.test.ts) checks the tensor count over 50 photos; this is the long run.

export const RSS_SLACK_MB = 50

export interface MemorySample {
  photos: number
  tensors: number
  tensorMegabytes: number
  rssMegabytes: number
}

export interface FacesMemoryResult {
  photos: number
  faces: number
  backend: string
  samples: MemorySample[]
  tensorsFlat: boolean
  rssGrowthMegabytes: number
  flat: boolean
}

const sample = (photos: number): MemorySample => {
  const m = tf.memory()
  return {
    photos,
    tensors: m.numTensors,
    tensorMegabytes: m.numBytes / 2 ** 20,
    rssMegabytes: process.memoryUsage().rss / 2 ** 20,
  }
}

/** Runs the face finder over `count` photos in this process, sampling memory as it goes. */
export async function runFacesMemoryBench(
  count: number,
  backend: FaceBackendChoice = 'auto',
): Promise<FacesMemoryResult> {
  if (!Number.isInteger(count) || count < 10)
    throw new Error(`--photos: expected a whole number of at least 10, got ${count}`)
  const dir = mkdtempSync(join(tmpdir(), 'affect-faces-memory-'))
  try {
    const broken = join(dir, 'broken.jpg')
    writeFileSync(broken, 'not a photo')
    const photos = [
      faceApiDemoPhoto(4),
      fixturePhoto('grace_hopper_512x512.jpg'),
      fixturePhoto('astronaut.png'),
      fixturePhoto('rocket.jpg'),
      broken,
    ]
    const chosen = await selectFaceBackend(backend, 1)
    const engine = await loadFaceEngine()
    const options = FaceFinderOptionsSchema.parse({ crops: true })
    // Warm-up: one pass over the five kinds of photo sizes the pools and compiles the kernels.
    for (const p of photos) await findFacesInPhoto(engine, p, options)
    const samples = [sample(0)]
    const every = Math.max(1, Math.round(count / 10))
    let faces = 0
    for (let i = 1; i <= count; i++) {
      const result = await findFacesInPhoto(engine, photos[i % photos.length], options)
      if (result.ok) faces += result.faces.length
      if (i % every === 0 || i === count) samples.push(sample(i))
    }
    const first = samples[0]
    const last = samples[samples.length - 1]
    const tensorsFlat = last.tensors === first.tensors && last.tensorMegabytes === first.tensorMegabytes
    const rssGrowthMegabytes = last.rssMegabytes - first.rssMegabytes
    return {
      photos: count,
      faces,
      backend: chosen.name,
      samples,
      tensorsFlat,
      rssGrowthMegabytes,
      flat: tensorsFlat && rssGrowthMegabytes < RSS_SLACK_MB,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function facesMemoryLines(r: FacesMemoryResult): string[] {
  const first = r.samples[0]
  const last = r.samples[r.samples.length - 1]
  return [
    `Memory over ${r.photos} photos (${r.faces} faces, ${r.backend}): ${r.flat ? 'flat' : 'NOT flat'}; tensors ${first.tensors} -> ${last.tensors} (${first.tensorMegabytes.toFixed(1)} -> ${last.tensorMegabytes.toFixed(1)} MB), resident memory ${first.rssMegabytes.toFixed(0)} -> ${last.rssMegabytes.toFixed(0)} MB (${r.rssGrowthMegabytes >= 0 ? '+' : ''}${r.rssGrowthMegabytes.toFixed(0)} MB; flat: < ${RSS_SLACK_MB} MB)`,
    `  photos: ${r.samples.map((s) => `${s.photos} ${s.tensors} tensors ${s.rssMegabytes.toFixed(0)} MB`).join(' | ')}`,
  ]
}
