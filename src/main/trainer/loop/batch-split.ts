import * as tf from '@tensorflow/tfjs'
import type { Network } from '../network'
import type { Batch } from '../data/batch'
import { LANDMARK_VALUES } from '../../../shared/metrics/landmark-error'

// A GPU holds each tensor in one buffer, and WebGPU caps a buffer's size (maxBufferSize, and the
// size one shader may bind). A batch whose largest activation would not fit is trained in passes
// of fewer images: the gradients of the passes, weighted by their share of the images, add up to
// the batch's (each pass's means divide by the whole batch's counts: loss/batch-counts.ts), and
// the batch-norm moving statistics become the weighted mean of the passes' updates. Each pass normalises with its own
// batch statistics (data-parallel workers, which run at once, exchange theirs: parallel/exchange.ts).

/** Bytes of the largest tensor one image makes in a forward pass (the backward pass mirrors it). */
export async function largestTensorBytesPerImage(net: Network): Promise<number> {
  const { inputSize, channels } = net.spec
  const info = await tf.profile(() => {
    tf.tidy(() => void net.apply(tf.zeros([1, inputSize, inputSize, channels]) as tf.Tensor4D, false))
  })
  const sizes = info.kernels.flatMap((k) => k.outputShapes.map((shape) => (shape ?? []).reduce((a, b) => a * b, 1)))
  return 4 * Math.max(inputSize * inputSize * channels, ...sizes)
}

/** Images per pass so that no tensor outgrows `maxBufferBytes` (half of it: kernels keep scratch buffers beside). */
export function imagesPerPass(bytesPerImage: number, maxBufferBytes: number, batchSize: number): number {
  return Math.max(1, Math.min(batchSize, Math.floor(maxBufferBytes / 2 / bytesPerImage)))
}

/** [start, end) of each pass, as equal as possible. */
export function passRanges(rows: number, perPass: number): [number, number][] {
  const passes = Math.ceil(rows / perPass)
  const base = Math.floor(rows / passes)
  const extra = rows % passes
  const out: [number, number][] = []
  let start = 0
  for (let p = 0; p < passes; p++) {
    const end = start + base + (p < extra ? 1 : 0)
    out.push([start, end])
    start = end
  }
  return out
}

/** Rows [start, end) of a batch. */
export function batchRows(batch: Batch, start: number, end: number): Batch {
  const { height, width, channels } = batch.shape
  const pixels = height * width * channels
  const classes = batch.labels.length / batch.rows.length
  return {
    rows: batch.rows.subarray(start, end),
    images: batch.images.subarray(start * pixels, end * pixels),
    shape: { ...batch.shape, batch: end - start },
    labels: batch.labels.subarray(start * classes, end * classes),
    mask: batch.mask.subarray(start * classes, end * classes),
    datasetIndex: batch.datasetIndex.subarray(start, end),
    ...(batch.landmarks && batch.landmarksKnown
      ? {
          landmarks: batch.landmarks.subarray(start * LANDMARK_VALUES, end * LANDMARK_VALUES),
          landmarksKnown: batch.landmarksKnown.subarray(start, end),
        }
      : {}),
  }
}
