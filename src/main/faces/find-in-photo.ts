import * as tf from '@tensorflow/tfjs'
import type { FaceBox, FaceFinderOptions, FoundFace, Landmark, PhotoFaces } from '../../shared/faces'
import { alignedCropPlan, eyeCentres } from './alignment'
import { cropFromPixels, pixelsHoldCrop } from './crops'
import { findLandmarks } from './landmarks'
import { loadFaceModels, type FaceModels } from './models'
import { PhotoProblemError, readPhotoForFaces, type PhotoForFaces, type ScaledPixels } from './photo-pixels'
import { readAroundFaces, readCropSquare } from './photo-region'
import { bytesTensor } from './pixel-tensor'
import { buildSsdNet, detect, type SsdNet } from './ssd-detector'

// One photo through the whole face finder: decode (upright), detect on the small copy, landmarks
// on the working copy (or, for a photo read in parts, on its part around the faces), eyes-aligned
// crops. Runs in the face finder process (or in-process in tests and benchmarks) on whichever
// tfjs backend is active.

export interface FaceEngine {
  models: FaceModels
  ssd: SsdNet
}

let engine: Promise<FaceEngine> | null = null

/** Loads the networks once per process, on the active backend. */
export function loadFaceEngine(): Promise<FaceEngine> {
  engine ??= loadFaceModels()
    .then((models) => ({ models, ssd: buildSsdNet(models.ssd) }))
    .catch((error: unknown) => {
      engine = null
      throw error
    })
  return engine
}

const round2 = (v: number): number => Math.round(v * 100) / 100

/**
 * CPU milliseconds of this process spent in each stage, added up over photos (for the benchmark).
 * CPU time, not wall time: on a machine shared with other work it still says where the work goes.
 */
export interface StageTimes {
  decode: number
  detect: number
  landmarks: number
  crops: number
}

/** Runs `work`, adding the CPU time it took to `times[stage]` when times are kept. */
async function timed<T>(times: StageTimes | undefined, stage: keyof StageTimes, work: () => Promise<T>): Promise<T> {
  const start = process.cpuUsage()
  try {
    return await work()
  } finally {
    if (times) {
      const used = process.cpuUsage(start)
      times[stage] += (used.user + used.system) / 1000
    }
  }
}

/** A box from the detection copy, in source pixels, clipped to the photo. */
function toSourceBox(photo: PhotoForFaces, box: FaceBox): FaceBox {
  const x0 = Math.max(0, box.x / photo.detection.scaleX)
  const y0 = Math.max(0, box.y / photo.detection.scaleY)
  const x1 = Math.min(photo.width, (box.x + box.width) / photo.detection.scaleX)
  const y1 = Math.min(photo.height, (box.y + box.height) / photo.detection.scaleY)
  return { x: round2(x0), y: round2(y0), width: round2(x1 - x0), height: round2(y1 - y0) }
}

async function detectFaces(
  ssd: SsdNet,
  photo: PhotoForFaces,
  options: FaceFinderOptions,
): Promise<{ box: FaceBox; score: number }[]> {
  const { data, width, height } = photo.detection
  const image = bytesTensor<tf.Rank.R3>(data, [height, width, 3])
  try {
    const found = await detect(ssd, image, options.minConfidence, options.maxFaces)
    return found
      .map((d) => ({ box: toSourceBox(photo, d.box), score: Math.round(d.score * 1e4) / 1e4 }))
      .filter((d) => d.box.width > 0 && d.box.height > 0)
  } finally {
    image.dispose()
  }
}

/** Faces in one photo (best score first), or why there are none; the message names the file. */
export async function findFacesInPhoto(
  engine: FaceEngine,
  path: string,
  options: FaceFinderOptions,
  times?: StageTimes,
): Promise<PhotoFaces> {
  let photo: PhotoForFaces
  try {
    photo = await timed(times, 'decode', () => readPhotoForFaces(path, options))
  } catch (error) {
    if (error instanceof PhotoProblemError)
      return { path, ok: false, problem: { code: error.code, message: error.message } }
    throw error
  }
  return facesInDecoded(engine, photo, options, times)
}

/** The eyes-aligned crop, from the working pixels, or from its square read from the file when they are a part that does not hold it. */
async function cropFace(
  photo: PhotoForFaces,
  working: ScaledPixels,
  points: Landmark[],
  options: FaceFinderOptions,
): Promise<Uint8Array> {
  const [left, right] = eyeCentres(points)
  const plan = alignedCropPlan(left, right, options.cropSize, options.margin)
  const pixels = pixelsHoldCrop(working, plan) ? working : await readCropSquare(photo.path, photo, plan)
  return cropFromPixels(pixels, plan)
}

/** Landmarks and crops of the detected faces; the working pixels are read around them first if need be. */
async function facesOfDetections(
  engine: FaceEngine,
  photo: PhotoForFaces,
  detections: { box: FaceBox; score: number }[],
  options: FaceFinderOptions,
  times?: StageTimes,
): Promise<FoundFace[]> {
  const boxes = detections.map((d) => d.box)
  const working =
    photo.working ?? (await timed(times, 'decode', () => readAroundFaces(photo.path, photo, boxes, options.margin)))
  const landmarks = await timed(times, 'landmarks', () => findLandmarks(engine.models, working, boxes))
  const faces: FoundFace[] = []
  for (const [i, detection] of detections.entries()) {
    // A box under 2 working-copy pixels has nothing to find landmarks in: not a usable face.
    const found = landmarks[i]
    if (!found) continue
    const points = found.map(([x, y]): Landmark => [round2(x), round2(y)])
    const face: FoundFace = { index: faces.length, box: detection.box, score: detection.score, landmarks: points }
    if (options.crops) face.crop = await timed(times, 'crops', () => cropFace(photo, working, points, options))
    faces.push(face)
  }
  return faces
}

/** Faces in a decoded photo or video frame (best score first), or `no_face`; `photo.path` names it. */
export async function facesInDecoded(
  engine: FaceEngine,
  photo: PhotoForFaces,
  options: FaceFinderOptions,
  times?: StageTimes,
): Promise<PhotoFaces> {
  const path = photo.path
  const detections = await timed(times, 'detect', () => detectFaces(engine.ssd, photo, options))
  if (detections.length === 0) {
    return {
      path,
      ok: false,
      problem: {
        code: 'no_face',
        message: `${path}: no face found (no detector score above ${options.minConfidence})`,
      },
    }
  }
  try {
    const faces = await facesOfDetections(engine, photo, detections, options, times)
    return { path, ok: true, width: photo.width, height: photo.height, faces }
  } catch (error) {
    // A photo read in parts is decoded again after detection: a fault further down the file shows there.
    if (error instanceof PhotoProblemError)
      return { path, ok: false, problem: { code: error.code, message: error.message } }
    throw error
  }
}
