import * as tf from '@tensorflow/tfjs'
import type { FaceBox } from '../../shared/faces'
import type { ConvBias, DepthwiseParams, PlainConv, SsdParams } from './models'
import { ssdAnchors } from './ssd-anchors'

// face-api's SSD-MobileNetV1 face detector with face-api's own weights, run faster:
// - on the photo's aspect ratio instead of a padded 512 x 512 square (see ssd-anchors.ts);
// - each batch norm folded into the convolution before it and every conv + bias + ReLU6 run as
//   one fused kernel (face-api runs conv, batch norm, add and clip as four);
// - boxes decoded only for the candidates above the score threshold.
// The layers, strides and box coding are face-api's (src/ssdMobilenetv1); the test checks that
// the boxes equal face-api's own detectAllFaces on the same photos.

const BN_EPSILON = 0.0010000000474974513
/** Box coder scales of the TF Object Detection API: y, x, height, width. */
const BOX_CODER = [10, 10, 5, 5]
const IOU_THRESHOLD = 0.5

interface Fused {
  filter: tf.Tensor4D
  bias: tf.Tensor1D
}

export interface SsdNet {
  first: Fused
  /** The 13 depthwise + pointwise pairs of MobileNetV1. */
  pairs: { depthwise: Fused; pointwise: Fused; stride: 1 | 2 }[]
  /** The 8 extra layers that make the four smaller feature maps. */
  extra: Fused[]
  /** Box and class predictors of the six feature maps. */
  heads: { box: PlainConv; score: PlainConv }[]
}

const pointwise = (p: ConvBias): Fused => ({ filter: p.filters, bias: p.batch_norm_offset })

function foldBatchNorm(p: DepthwiseParams): Fused {
  return tf.tidy(() => {
    const k = tf.div(p.batch_norm_scale, tf.sqrt(tf.add(p.batch_norm_variance, BN_EPSILON)))
    return {
      filter: tf.mul(p.filters, tf.reshape(k, [1, 1, -1, 1])) as tf.Tensor4D,
      bias: tf.sub(p.batch_norm_offset, tf.mul(p.batch_norm_mean, k)) as tf.Tensor1D,
    }
  })
}

/** Prepares the fused layers once per process (they hold a few MB of weights). */
export function buildSsdNet(params: SsdParams): SsdNet {
  const m = params.mobilenetv1
  const pl = params.prediction_layer
  const pairs: SsdNet['pairs'] = []
  for (let i = 1; i <= 13; i++) {
    const layer = m[`conv_${i}`] as { depthwise_conv: DepthwiseParams; pointwise_conv: ConvBias }
    pairs.push({
      depthwise: foldBatchNorm(layer.depthwise_conv),
      pointwise: pointwise(layer.pointwise_conv),
      stride: [2, 4, 6, 12].includes(i) ? 2 : 1,
    })
  }
  const extra = Array.from({ length: 8 }, (_, i) => pointwise(pl[`conv_${i}`] as ConvBias))
  const heads = Array.from({ length: 6 }, (_, i) => {
    const head = pl[`box_predictor_${i}`] as { box_encoding_predictor: PlainConv; class_predictor: PlainConv }
    return { box: head.box_encoding_predictor, score: head.class_predictor }
  })
  return { first: pointwise(m.conv_0 as ConvBias), pairs, extra, heads }
}

const convRelu6 = (x: tf.Tensor4D, w: Fused, strides: 1 | 2): tf.Tensor4D =>
  tf.fused.conv2d({ x, filter: w.filter, strides, pad: 'same', bias: w.bias, activation: 'relu6' })
const depthwiseRelu6 = (x: tf.Tensor4D, w: Fused, strides: 1 | 2): tf.Tensor4D =>
  tf.fused.depthwiseConv2d({ x, filter: w.filter, strides, pad: 'same', bias: w.bias, activation: 'relu6' })
const linear = (x: tf.Tensor4D, w: PlainConv): tf.Tensor4D =>
  tf.fused.conv2d({ x, filter: w.filters, strides: 1, pad: 'same', bias: w.bias })

/** Raw network outputs: 4 box codes and a face score per anchor. */
function forward(net: SsdNet, image: tf.Tensor3D): { codes: tf.Tensor2D; scores: tf.Tensor1D } {
  return tf.tidy(() => {
    let x = tf.sub(tf.div(tf.expandDims(tf.cast(image, 'float32')), 127.5), 1) as tf.Tensor4D
    x = convRelu6(x, net.first, 2)
    const maps: tf.Tensor4D[] = []
    net.pairs.forEach((pair, i) => {
      x = convRelu6(depthwiseRelu6(x, pair.depthwise, pair.stride), pair.pointwise, 1)
      if (i + 1 === 11) maps.push(x)
    })
    maps.push(x)
    for (let i = 0; i < net.extra.length; i++) {
      x = convRelu6(x, net.extra[i], i % 2 === 1 ? 2 : 1)
      if (i % 2 === 1) maps.push(x)
    }
    const codes = maps.map((map, i) => tf.reshape(linear(map, net.heads[i].box), [-1, 4]))
    // Classes: background, face; the score is the sigmoid of the face logit (as in face-api).
    const logits = maps.map((map, i) => tf.reshape(linear(map, net.heads[i].score), [-1, 3]))
    const scores = tf.sigmoid(tf.reshape(tf.slice(tf.concat(logits), [0, 1], [-1, 1]), [-1]))
    return { codes: tf.concat(codes) as tf.Tensor2D, scores: scores as tf.Tensor1D }
  })
}

export interface Detection {
  /** In the pixels of the image given to detect(). */
  box: FaceBox
  score: number
}

/** Box i decoded from its code and anchor, as [ymin, xmin, ymax, xmax] normalised to the image. */
function decodeBox(codes: Float32Array, anchors: Float32Array, i: number): number[] {
  const [ay0, ax0, ay1, ax1] = anchors.subarray(4 * i, 4 * i + 4)
  const ha = ay1 - ay0
  const wa = ax1 - ax0
  const cy = (codes[4 * i] / BOX_CODER[0]) * ha + ay0 + ha / 2
  const cx = (codes[4 * i + 1] / BOX_CODER[1]) * wa + ax0 + wa / 2
  const h = Math.exp(codes[4 * i + 2] / BOX_CODER[2]) * ha
  const w = Math.exp(codes[4 * i + 3] / BOX_CODER[3]) * wa
  return [cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2]
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v))

// The anchors of the last input size, kept: the photos of a set mostly share a few sizes, and
// making them takes about 1 ms and 3,500 small arrays of garbage each time.
let lastAnchors: { width: number; height: number; anchors: Float32Array } = {
  width: 0,
  height: 0,
  anchors: new Float32Array(0),
}

function anchorsFor(width: number, height: number): Float32Array {
  if (lastAnchors.width !== width || lastAnchors.height !== height)
    lastAnchors = { width, height, anchors: ssdAnchors(width, height) }
  return lastAnchors.anchors
}

/**
 * Faces in an RGB image tensor [height, width, 3] (values 0-255), best score first, after
 * non-maximum suppression (IoU 0.5, as face-api). Width and height should be multiples of 32.
 */
export async function detect(
  net: SsdNet,
  image: tf.Tensor3D,
  minConfidence: number,
  maxFaces: number,
): Promise<Detection[]> {
  const [height, width] = image.shape
  const out = forward(net, image)
  const [codes, scores] = await Promise.all([
    out.codes.data() as Promise<Float32Array>,
    out.scores.data() as Promise<Float32Array>,
  ])
  tf.dispose([out.codes, out.scores])
  const anchors = anchorsFor(width, height)
  const boxes: number[][] = []
  const candidateScores: number[] = []
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] <= minConfidence) continue
    boxes.push(decodeBox(codes, anchors, i))
    candidateScores.push(scores[i])
  }
  if (boxes.length === 0) return []
  const boxTensor = tf.tensor2d(boxes, [boxes.length, 4])
  const scoreTensor = tf.tensor1d(candidateScores)
  const keep = await tf.image.nonMaxSuppressionAsync(boxTensor, scoreTensor, maxFaces, IOU_THRESHOLD, minConfidence)
  const kept = await keep.data()
  tf.dispose([boxTensor, scoreTensor, keep])
  return Array.from(kept, (i) => {
    // Clamped to the image after suppression, as face-api does.
    const [y0, x0, y1, x1] = boxes[i].map(clamp01)
    return {
      score: candidateScores[i],
      box: { x: x0 * width, y: y0 * height, width: (x1 - x0) * width, height: (y1 - y0) * height },
    }
  })
}
