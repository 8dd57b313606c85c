import * as tf from '@tensorflow/tfjs'
import { HeapBackend, heapMemory, KernelHeap } from './heap'
import { ConvKernelExports, convKernelsIn } from './module'

/*
 * The forward conv and both of its gradients on the wasm backend, with our own SIMD kernels (conv.c)
 * working on the tensors in tfjs's heap. Layout is NHWC; filters are [kh, kw, inChannels,
 * outChannels] as in tfjs. On ResNet-20's shapes (batch 64, CPU time, one process) each takes about
 * 0.7x to 0.75x the time of XNNPACK's forward conv; the filter gradient expressed as an XNNPACK conv
 * (the activation as its filter) took 2.4x.
 */

type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4]

export interface ConvAttrs {
  strides: [number, number] | number
  pad: Pad
  dataFormat: 'NHWC' | 'NCHW'
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
  dilations?: [number, number] | number
}

const BYTES = 4

function convInfoOf(
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
  kernelName: string,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${kernelName} on wasm supports dataFormat 'NHWC' only (got 'NCHW')`)
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`${kernelName}: input and filter must be 4-d (got [${xShape}] and [${filterShape}])`)
  }
  if (xShape[3] !== filterShape[2]) {
    throw new Error(
      `${kernelName}: input has ${xShape[3]} channels but the filter [${filterShape}] expects ${filterShape[2]}`,
    )
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  )
}

/** The C kernels trust their sizes, so a tensor of the wrong shape is refused before they run. */
function expectShape(kernelName: string, what: string, got: number[], want: number[]): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    throw new Error(`${kernelName}: ${what} has shape [${got}], expected [${want}]`)
  }
}

/** Runs `body` with a fresh heap; the result is kept, everything else it allocated is freed. */
function withHeap(
  backend: HeapBackend,
  body: (heap: KernelHeap, kernels: ConvKernelExports) => tf.TensorInfo,
): tf.TensorInfo {
  const heap = new KernelHeap(backend)
  try {
    const out = body(heap, convKernelsIn(heapMemory(backend)))
    heap.finish(out)
    return out
  } catch (e) {
    heap.finish()
    throw e
  }
}

/** `t` framed by zero rows and columns, or `t` itself when there is nothing to add. */
function padded(
  heap: KernelHeap,
  kernels: ConvKernelExports,
  t: tf.TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.TensorInfo {
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return t
  const [n, h, w, c] = t.shape
  const out = heap.allocate([n, top + h + bottom, left + w + right, c])
  kernels.pad_nhwc(heap.pointer(t), heap.pointer(out), n, h, w, c, top, bottom, left, right)
  return out
}

/** y = conv2d(x, filter): a correlation of the zero-padded input, any stride and dilation. */
export function conv2dForward(
  backend: HeapBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: ConvAttrs,
): tf.TensorInfo {
  const info = convInfoOf(x.shape, filter.shape, attrs, 'Conv2D')
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info
  const {
    filterHeight: kh,
    filterWidth: kw,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
  } = info
  const { top, left } = info.padInfo
  // Only what the last window reads: 'ceil' rounding may read past the input, 'valid' may stop short.
  const bottom = Math.max(0, (oh - 1) * sh + (kh - 1) * dh + 1 - top - h)
  const right = Math.max(0, (ow - 1) * sw + (kw - 1) * dw + 1 - left - w)
  return withHeap(backend, (heap, kernels) => {
    const input = padded(heap, kernels, x, top, bottom, left, right)
    const [, ph, pw] = input.shape
    const out = heap.allocate([n, oh, ow, co])
    kernels.correlate(
      heap.pointer(input),
      heap.pointer(filter),
      heap.pointer(out),
      n,
      oh,
      ow,
      ph * pw * ci,
      sh * pw * ci,
      sw * ci,
      kh,
      kw,
      dh * pw * ci,
      dw * ci,
      kw * ci * co,
      ci * co,
      ci,
      co,
      oh * ow * co,
      ow * co,
      co,
    )
    return out
  })
}

/** dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[n,oh,ow,co]. */
export function conv2dFilterGradient(
  backend: HeapBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: number[],
  attrs: ConvAttrs,
): tf.TensorInfo {
  const info = convInfoOf(x.shape, filterShape, { ...attrs, dilations: 1 }, 'Conv2DBackpropFilter')
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info
  expectShape('Conv2DBackpropFilter', 'dy', dy.shape, [n, oh, ow, co])
  return withHeap(backend, (heap, kernels) => {
    const dw = heap.allocate([kh, kw, ci, co])
    kernels.conv2d_filter_gradient(
      heap.pointer(x),
      heap.pointer(dy),
      heap.pointer(dw),
      n,
      h,
      w,
      ci,
      oh,
      ow,
      co,
      kh,
      kw,
      sh,
      sw,
      info.padInfo.top,
      info.padInfo.left,
    )
    return dw
  })
}

/**
 * One axis of the input gradient's stride phases. Input row u = s*m + r - pad (r in [0, s)) gets
 * dy rows m - j through filter rows r + s*j, j < taps: a correlation of dy (zero-padded by
 * maxTaps - 1 before) with the phase's filter rows in reverse order, for m in [first, first + count).
 */
interface Phase {
  r: number
  taps: number
  first: number
  count: number
}

function phasesOf(k: number, s: number, pad: number, size: number): Phase[] {
  const phases: Phase[] = []
  for (let r = 0; r < s; r++) {
    const first = Math.ceil((pad - r) / s)
    const last = Math.floor((size - 1 + pad - r) / s)
    phases.push({ r, taps: Math.max(0, Math.ceil((k - r) / s)), first, count: last - first + 1 })
  }
  return phases.filter((p) => p.count > 0)
}

/** Zero rows needed before and after dy so that every phase's window stays inside. */
function dyPadding(phases: Phase[], k: number, s: number, outSize: number): [number, number] {
  const before = Math.ceil(k / s) - 1
  const after = Math.max(0, ...phases.map((p) => p.first + p.count - outSize))
  return [before, after]
}

/**
 * dx as s*s correlations, one per stride phase (input rows and columns by remainder mod s), each of
 * the zero-padded dy with the flipped, channel-transposed filter taps that reach it: no products
 * with stuffed zeros, and each phase writes its pixels of dx in place.
 */
export function conv2dInputGradient(
  backend: HeapBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  inputShape: number[],
  attrs: ConvAttrs,
): tf.TensorInfo {
  const info = convInfoOf(inputShape, filter.shape, { ...attrs, dilations: 1 }, 'Conv2DBackpropInput')
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info
  const { top, left } = info.padInfo
  expectShape('Conv2DBackpropInput', 'dy', dy.shape, [n, oh, ow, co])
  const rows = phasesOf(kh, sh, top, h)
  const cols = phasesOf(kw, sw, left, w)
  const [padTop, padBottom] = dyPadding(rows, kh, sh, oh)
  const [padLeft, padRight] = dyPadding(cols, kw, sw, ow)
  return withHeap(backend, (heap, kernels) => {
    const dyPadded = padded(heap, kernels, dy, padTop, padBottom, padLeft, padRight)
    const [, ph, pw] = dyPadded.shape
    const transposed = heap.allocate([kh, kw, co, ci])
    kernels.transpose_taps(heap.pointer(filter), heap.pointer(transposed), kh * kw, ci, co)
    const dx = heap.allocate(inputShape)
    const [dyAt, fAt, dxAt] = [heap.pointer(dyPadded), heap.pointer(transposed), heap.pointer(dx)]
    for (const rp of rows) {
      for (const cp of cols) {
        const taps = rp.taps > 0 && cp.taps > 0
        const dyStart = ((rp.first - (rp.taps - 1) + padTop) * pw + cp.first - (cp.taps - 1) + padLeft) * co
        const fStart = taps ? ((rp.r + sh * (rp.taps - 1)) * kw + cp.r + sw * (cp.taps - 1)) * co * ci : 0
        const dxStart = ((sh * rp.first + rp.r - top) * w + sw * cp.first + cp.r - left) * ci
        kernels.correlate(
          dyAt + BYTES * dyStart,
          fAt + BYTES * fStart,
          dxAt + BYTES * dxStart,
          n,
          rp.count,
          cp.count,
          ph * pw * co,
          pw * co,
          co,
          taps ? rp.taps : 0,
          taps ? cp.taps : 0,
          pw * co,
          co,
          -sh * kw * co * ci,
          -sw * co * ci,
          co,
          ci,
          h * w * ci,
          sh * w * ci,
          sw * ci,
        )
      }
    }
    return dx
  })
}
