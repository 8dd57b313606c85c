import * as tf from '@tensorflow/tfjs'

// face-api's 68-point landmark net (FaceLandmark68Net: four dense blocks of separable convolutions,
// an average pool and a fully connected layer) with face-api's weights, run leaner: the input is
// one batch tensor of faces already squared to 112 px, the mean colour is subtracted by
// broadcasting (face-api builds a full-size mean image with a concatenation that alone takes about
// a third of the net's time on the wasm backend), and each bias and ReLU is fused into the
// convolution before it. The layers are face-api's (src/faceFeatureExtractor, src/faceProcessor);
// landmarks.test checks the points against face-api's own.

/** Input side of the net. */
export const LANDMARK_INPUT = 112

const MEAN_RGB = [122.782, 117.001, 104.298]

interface SeparableConv {
  depthwise_filter: tf.Tensor4D
  pointwise_filter: tf.Tensor4D
  bias: tf.Tensor1D
}

interface DenseBlock {
  conv0: { filters: tf.Tensor4D; bias: tf.Tensor1D } | SeparableConv
  conv1: SeparableConv
  conv2: SeparableConv
  conv3: SeparableConv
}

/** The parts of face-api's landmark net parameters this forward pass reads. */
export interface LandmarkNetParams {
  extractor: { dense0: DenseBlock; dense1: DenseBlock; dense2: DenseBlock; dense3: DenseBlock }
  fc: { weights: tf.Tensor2D; bias: tf.Tensor1D }
}

function separable(x: tf.Tensor4D, p: SeparableConv, stride: 1 | 2, activation: 'linear' | 'relu'): tf.Tensor4D {
  const depthwise = tf.depthwiseConv2d(x, p.depthwise_filter, stride, 'same')
  return tf.fused.conv2d({
    x: depthwise,
    filter: p.pointwise_filter,
    strides: 1,
    pad: 'same',
    bias: p.bias,
    activation,
  })
}

function denseBlock(x: tf.Tensor4D, p: DenseBlock): tf.Tensor4D {
  const out1 =
    'filters' in p.conv0
      ? tf.fused.conv2d({ x, filter: p.conv0.filters, strides: 2, pad: 'same', bias: p.conv0.bias, activation: 'relu' })
      : separable(x, p.conv0, 2, 'relu')
  const sumRelu = (...parts: tf.Tensor4D[]): tf.Tensor4D => tf.relu(tf.addN(parts))
  const out2 = separable(out1, p.conv1, 1, 'linear')
  const out3 = separable(sumRelu(out1, out2), p.conv2, 1, 'linear')
  const out4 = separable(sumRelu(out1, out2, out3), p.conv3, 1, 'linear')
  return sumRelu(out1, out2, out3, out4)
}

/**
 * The 68 points of each face in a batch [n, 112, 112, 3] (RGB 0-255), as [n, 136]: x0, y0, x1, y1...
 * relative to the 112 px square (0..1).
 */
export function landmarkNet(params: LandmarkNetParams, faces: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let x = tf.div(tf.sub(tf.cast(faces, 'float32'), tf.tensor1d(MEAN_RGB)), 255) as tf.Tensor4D
    const e = params.extractor
    for (const block of [e.dense0, e.dense1, e.dense2, e.dense3]) x = denseBlock(x, block)
    const pooled = tf.avgPool(x, [7, 7], [2, 2], 'valid')
    const flat = tf.reshape(pooled, [pooled.shape[0], -1]) as tf.Tensor2D
    return tf.fused.matMul({ a: flat, b: params.fc.weights, bias: params.fc.bias }) as tf.Tensor2D
  })
}
