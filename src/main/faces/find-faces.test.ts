import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FaceFinderMessage } from '../../shared/face-finder-protocol'
import type { FaceFinderProgress, PhotoFaces } from '../../shared/faces'
import type { TrainerExit } from '../runs/trainer-host'
import {
  describeFinderCrash,
  FaceFinderError,
  findFaces,
  nodeFaceFinderLauncher,
  type FaceFinderProcess,
} from './find-faces'
import { fixturePhoto } from './test-photos.fixture'

// The face finder as main uses it: a child process, results streamed back in order, Stop, and a
// clear error when the process dies. Each test starts a real finder process (about 2 s).

const dir = await mkdtemp(join(tmpdir(), 'find-faces-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

const hopper = fixturePhoto('grace_hopper_512x512.jpg')
const rocket = fixturePhoto('rocket.jpg')
// Small and fast: these tests are about the process, not the detector.
const fast = { detectionSize: 256, crops: true, backend: 'wasm' } as const

describe('findFaces in a separate process', () => {
  it('returns every photo in order, with progress after each', async () => {
    const broken = join(dir, 'broken.jpg')
    await writeFile(broken, 'no picture here')
    const seen: FaceFinderProgress[] = []
    let crop: unknown
    const onProgress = (p: FaceFinderProgress, photo: PhotoFaces) => {
      seen.push(p)
      if (photo.ok) crop = photo.faces[0].crop
    }
    const result = await findFaces([hopper, rocket, broken], fast, { onProgress, keepCrops: false })
    expect(result.stopped).toBe(false)
    expect(result.backend?.name).toBe('wasm')
    expect(result.photos.map((p) => p.path)).toEqual([hopper, rocket, broken])
    const [first, second, third] = result.photos
    expect(first.ok && first.faces.length).toBe(1)
    // The crop crossed the process boundary as bytes; with keepCrops false only onProgress keeps it.
    expect(crop).toBeInstanceOf(Uint8Array)
    expect(first.ok && first.faces[0].crop).toBeUndefined()
    expect(!second.ok && second.problem.code).toBe('no_face')
    expect(!third.ok && third.problem).toMatchObject({ code: 'unreadable', message: expect.stringContaining(broken) })
    expect(seen.map((p) => [p.done, p.total, p.faces, p.path])).toEqual([
      [1, 3, 1, hopper],
      [2, 3, 1, rocket],
      [3, 3, 1, broken],
    ])
    expect(seen.every((p) => p.photosPerSecond > 0)).toBe(true)
    expect(seen[2].etaSeconds).toBe(0)
  })

  it('stops after the photo in hand and returns the results so far', async () => {
    const controller = new AbortController()
    const photos = Array.from({ length: 40 }, () => hopper)
    const result = await findFaces(
      photos,
      { ...fast, crops: false },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done === 2) controller.abort()
        },
      },
    )
    expect(result.stopped).toBe(true)
    expect(result.photos.length).toBeGreaterThanOrEqual(2)
    expect(result.photos.length).toBeLessThan(40)
    expect(result.photos.every((p) => p.ok)).toBe(true)
  })

  it('says why when the process dies', async () => {
    let child: FaceFinderProcess | undefined
    const launch = () => (child = nodeFaceFinderLauncher())
    const photos = Array.from({ length: 40 }, () => hopper)
    const error = await findFaces(photos, { ...fast, crops: false }, { launch, onProgress: () => child!.kill() }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(FaceFinderError)
    expect((error as FaceFinderError).code).toBe('face_finder_failed')
    expect((error as FaceFinderError).message).toMatch(/The face finder process was ended by signal SIGKILL/)
  })
})

/** A finder process that answers `find` with the given messages (and exits as given). */
function scripted(
  messages: FaceFinderMessage[],
  exit?: TrainerExit,
): { launch: () => FaceFinderProcess; killed: () => boolean } {
  let killed = false
  const launch = (): FaceFinderProcess => {
    const listeners: ((m: FaceFinderMessage) => void)[] = []
    const exits: ((e: TrainerExit) => void)[] = []
    return {
      send: (command) => {
        if (command.type !== 'find') return
        setImmediate(() => {
          for (const m of messages) for (const l of listeners) l(m)
          if (exit) for (const e of exits) e(exit)
        })
      },
      onMessage: (l) => listeners.push(l),
      onExit: (e) => exits.push(e),
      kill: () => {
        killed = true
      },
    }
  }
  return { launch, killed: () => killed }
}

describe('findFaces reading the finder messages', () => {
  const backend = {
    name: 'wasm' as const,
    tried: [{ backend: 'wasm' as const, available: true, reason: 'WebAssembly' }],
  }
  const noFace = (path: string): PhotoFaces => ({
    path,
    ok: false,
    problem: { code: 'no_face', message: `${path}: no face found` },
  })

  it("passes on the finder's reason when it cannot run, as data with a code", async () => {
    const { launch, killed } = scripted([
      {
        type: 'failed',
        reason: 'the face finder cannot run here: native: tfjs-node is not installed',
        detail: 'stack...',
      },
    ])
    const error = await findFaces(['a.jpg'], {}, { launch }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FaceFinderError)
    expect((error as FaceFinderError).toData()).toEqual({
      code: 'face_finder_failed',
      message: 'the face finder cannot run here: native: tfjs-node is not installed',
    })
    expect((error as FaceFinderError).detail).toBe('stack...')
    expect(killed()).toBe(true)
  })

  it('refuses results out of order', async () => {
    const { launch } = scripted([
      { type: 'ready', backend },
      { type: 'photo', index: 1, result: noFace('b.jpg') },
    ])
    await expect(findFaces(['a.jpg', 'b.jpg'], {}, { launch })).rejects.toThrow(
      'the face finder answered for photo 1 while expecting photo 0',
    )
  })

  it('explains an exit without a last message', async () => {
    const { launch } = scripted(
      [
        { type: 'ready', backend },
        { type: 'photo', index: 0, result: noFace('a.jpg') },
      ],
      { code: 1, signal: null, stderrTail: 'Segmentation fault\n' },
    )
    await expect(findFaces(['a.jpg', 'b.jpg'], {}, { launch })).rejects.toThrow(
      'The face finder process exited unexpectedly (code 1): Segmentation fault.',
    )
  })

  it('rejects bad options by name before starting anything', async () => {
    let started = false
    const launch = () => {
      started = true
      return nodeFaceFinderLauncher()
    }
    await expect(findFaces([hopper], { detectionSize: 500, margin: -1 }, { launch })).rejects.toThrow(
      /invalid face finder options: detectionSize: .*; margin: /,
    )
    expect(started).toBe(false)
  })

  it('needs no process for no photos or an already aborted call', async () => {
    const launch = () => {
      throw new Error('should not start')
    }
    expect(await findFaces([], {}, { launch })).toMatchObject({ photos: [], stopped: false, backend: null })
    expect(await findFaces([hopper], {}, { launch, signal: AbortSignal.abort() })).toMatchObject({
      photos: [],
      stopped: true,
      backend: null,
    })
  })
})

describe('describeFinderCrash', () => {
  it('names running out of memory, a signal, or the last line the process printed', () => {
    expect(
      describeFinderCrash({
        code: 134,
        signal: null,
        stderrTail: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      }),
    ).toMatch(/ran out of memory/)
    expect(describeFinderCrash({ code: null, signal: 'SIGTERM', stderrTail: '' })).toBe(
      'The face finder process was ended by signal SIGTERM.',
    )
    expect(describeFinderCrash({ code: 3, signal: null, stderrTail: 'first\nlast words\n' })).toBe(
      'The face finder process exited unexpectedly (code 3): last words.',
    )
    const nodeCrash =
      "file:///x/face-finder.js:427\nvar require = createRequire(import.meta.url);\n    ^\n\nSyntaxError: Identifier 'require' has already been declared\n    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)\n\nNode.js v20.20.2\n"
    expect(describeFinderCrash({ code: 1, signal: null, stderrTail: nodeCrash })).toBe(
      "The face finder process exited unexpectedly (code 1): SyntaxError: Identifier 'require' has already been declared.",
    )
  })
})
