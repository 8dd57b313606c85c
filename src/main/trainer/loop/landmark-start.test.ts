import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { LANDMARK_VALUES } from '../../../shared/metrics/landmark-error'
import type { HeadView, TrainingSnapshot } from '../data/snapshot'
import { LANDMARK_HEAD, landmarkPoints, maskedLandmarkLoss } from '../loss/landmarks'
import { startLandmarkHead, trainingMeanShape } from './landmark-start'
import { networkForRun } from './train-on-batch'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const faceAt = (v: number): number[] => Array.from({ length: LANDMARK_VALUES }, (_, k) => v + (k % 2 ? 0.1 : 0))

// Four rows: two known training faces (at 0.2 and 0.4), one unknown training face and one known
// validation face, which must both be left out of the mean.
const snapshot: Pick<TrainingSnapshot, 'images' | 'landmarks'> = {
  images: (['train', 'train', 'train', 'val'] as const).map((split, i) => ({
    id: i + 1,
    path: `${i}.png`,
    datasetIndex: 0,
    split,
  })),
  landmarks: {
    points: Float32Array.from([...faceAt(0.2), ...faceAt(0.9), ...faceAt(0.4), ...faceAt(0.8)]),
    known: Uint8Array.from([1, 0, 1, 1]),
  },
}

const config = { network: 'resnet-8', inputSize: 8, channels: 3, seed: 3, landmarks: true } as const
const views: HeadView[] = [{ head: 'union', columns: [0, 1, 2], datasetIndex: null, softmax: [], sigmoid: [0, 1, 2] }]

describe('the landmark head start', () => {
  it('is the mean of the known training faces only (hand-computed)', () => {
    const mean = trainingMeanShape(snapshot)!
    expect(mean[0]).toBeCloseTo(0.3, 6) // (0.2 + 0.4) / 2: the unknown 0.9 and the validation 0.8 are left out
    expect(mean[1]).toBeCloseTo(0.4, 6)
    expect(trainingMeanShape({ ...snapshot, landmarks: { ...snapshot.landmarks!, known: new Uint8Array(4) } })).toBe(
      null,
    )
    expect(trainingMeanShape({ images: snapshot.images })).toBe(null)
  })

  it('predicts the mean shape for every face before training, in training and evaluation mode', () => {
    const net = networkForRun(config, views)
    const mean = trainingMeanShape(snapshot)!
    startLandmarkHead(net, mean)
    const x = tf.randomNormal([3, 8, 8, 3], 0, 1, 'float32', 7) as tf.Tensor4D
    for (const training of [true, false]) {
      const points = landmarkPoints(net.apply(x, training)[LANDMARK_HEAD]).arraySync()
      for (const row of points) row.forEach((v, k) => expect(v).toBeCloseTo(mean[k], 6))
    }
    net.dispose()
  })

  it('sends the shared trunk no gradient from the landmark loss on the first step', () => {
    const started = networkForRun(config, views)
    startLandmarkHead(started, trainingMeanShape(snapshot)!)
    const fresh = networkForRun(config, views) // the random start it replaces
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 8) as tf.Tensor4D
    const targets = tf.tensor2d([faceAt(0.2), faceAt(0.6)])
    const trunkGradientNorm = (net: typeof started): number => {
      const trunk = [...net.trainable].filter(([name]) => !name.startsWith('head/')).map(([, v]) => v)
      const { grads } = tf.variableGrads(
        () => maskedLandmarkLoss(net.apply(x, true)[LANDMARK_HEAD], targets, tf.tensor1d([1, 1])),
        trunk,
      )
      return Math.sqrt(Object.values(grads).reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0], 0))
    }
    expect(trunkGradientNorm(started)).toBe(0)
    expect(trunkGradientNorm(fresh)).toBeGreaterThan(0.01)
    started.dispose()
    fresh.dispose()
  })

  it('leaves a network without a landmark head alone, and refuses a mean of the wrong width', () => {
    const plain = networkForRun({ ...config, landmarks: false }, views)
    expect(() => startLandmarkHead(plain, new Float32Array(3))).not.toThrow()
    plain.dispose()
    const net = networkForRun(config, views)
    expect(() => startLandmarkHead(net, new Float32Array(3))).toThrow(/3 values for a head of 136/)
    net.dispose()
  })
})
