import type * as tf from '@tensorflow/tfjs'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { LandmarkNetParams } from './landmark-net'

// face-api's networks, read from the installed npm package (its model/ folder), never fetched.
// The package's node-wasm build runs on the @tensorflow/tfjs this process already loaded (it
// `require`s the same module), so whichever backend is active (tfjs-node, wasm, cpu) runs it.
//
// face-api bundles its own copy of tfjs's type declarations: its Tensor type is nominally distinct
// from @tensorflow/tfjs's although the objects are the same at run time. The casts of the loaded
// parameters below are the only place those types meet.

type FaceApi = typeof import('@vladmandic/face-api/dist/face-api.node-wasm.js')

const requireHere = createRequire(import.meta.url)

const MODEL_FILES = [
  'ssd_mobilenetv1_model-weights_manifest.json',
  'ssd_mobilenetv1_model.bin',
  'face_landmark_68_model-weights_manifest.json',
  'face_landmark_68_model.bin',
]

const packageDir = (): string => dirname(requireHere.resolve('@vladmandic/face-api/package.json'))

/** The folder of the installed @vladmandic/face-api package that holds its weights. */
export function faceModelDir(): string {
  return join(packageDir(), 'model')
}

/** One of the group photos (1920 px wide, 3 to 5 faces) the package ships in demo/: benchmark and test material. */
export function faceApiDemoPhoto(n: 1 | 2 | 3 | 4 | 5 | 6): string {
  return join(packageDir(), 'demo', `sample${n}.jpg`)
}

/** Weights of one pointwise (1x1 or first 3x3) convolution followed by a bias and ReLU6. */
export interface ConvBias {
  filters: tf.Tensor4D
  batch_norm_offset: tf.Tensor1D
}

export interface DepthwiseParams {
  filters: tf.Tensor4D
  batch_norm_scale: tf.Tensor1D
  batch_norm_offset: tf.Tensor1D
  batch_norm_mean: tf.Tensor1D
  batch_norm_variance: tf.Tensor1D
}

export interface PlainConv {
  filters: tf.Tensor4D
  bias: tf.Tensor1D
}

/** The parts of face-api's SSD-MobileNetV1 parameters the detector reads (see ssd-detector.ts). */
export interface SsdParams {
  mobilenetv1: Record<string, ConvBias | { depthwise_conv: DepthwiseParams; pointwise_conv: ConvBias }>
  prediction_layer: Record<string, ConvBias | { box_encoding_predictor: PlainConv; class_predictor: PlainConv }>
}

export interface FaceModels {
  ssd: SsdParams
  landmarks: LandmarkNetParams
}

/** Thrown when the package's weights are not where they should be. */
export class FaceModelsMissingError extends Error {
  constructor(dir: string, missing: string[]) {
    super(
      `the face models are missing from ${dir} (${missing.join(', ')}): reinstall the @vladmandic/face-api package (npm install)`,
    )
    this.name = 'FaceModelsMissingError'
  }
}

let loaded: Promise<FaceModels> | null = null

/** Loads the detector and the landmark net once per process, on the active tfjs backend. */
export function loadFaceModels(dir = faceModelDir()): Promise<FaceModels> {
  loaded ??= load(dir).catch((error: unknown) => {
    loaded = null
    throw error
  })
  return loaded
}

async function load(dir: string): Promise<FaceModels> {
  const missing = MODEL_FILES.filter((file) => !existsSync(join(dir, file)))
  if (missing.length > 0) throw new FaceModelsMissingError(dir, missing)
  const faceapi = requireHere('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(dir)
  await faceapi.nets.faceLandmark68Net.loadFromDisk(dir)
  const net = faceapi.nets.faceLandmark68Net
  return {
    ssd: faceapi.nets.ssdMobilenetv1.params as unknown as SsdParams,
    landmarks: {
      extractor: net.faceFeatureExtractor.params as unknown as LandmarkNetParams['extractor'],
      fc: net.params?.fc as unknown as LandmarkNetParams['fc'],
    },
  }
}
