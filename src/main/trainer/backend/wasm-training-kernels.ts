import * as tf from '@tensorflow/tfjs'
import { registerBorrowedKernels } from './borrowed-kernels'
import { HeapBackend, KernelCalls } from './kernel-calls'

/*
 * The wasm backend ships without Conv2DBackpropFilter, and its Conv2DBackpropInput is a plain C loop
 * about ten times slower than a forward conv. Both gradients are re-expressed here as ordinary
 * (XNNPACK) Conv2D calls, which is what makes conv-net training on wasm usable.
 *
 * Layout is NHWC throughout; filters are [kh, kw, inChannels, outChannels] as in tfjs.
 */

type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4]
type Rounding = 'floor' | 'round' | 'ceil' | undefined

interface ConvAttrs {
  strides: [number, number] | number
  pad: Pad
  dataFormat: 'NHWC' | 'NCHW'
  dimRoundingMode?: Rounding
}

function convInfoOf(xShape: number[], filterShape: number[], attrs: ConvAttrs, kernelName: string) {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`${kernelName} on wasm supports dataFormat 'NHWC' only (got 'NCHW')`)
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  )
}

/**
 * dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[n,oh,ow,co].
 * With ci as the batch and n as the channel this is a conv2d of x^T [ci,H,W,N] with the "filter"
 * dy^T [OH,OW,N,co], dilated by the forward stride, giving [ci,KH,KW,co].
 */
export function conv2dFilterGradient(calls: KernelCalls, x: tf.TensorInfo, dy: tf.TensorInfo, filterShape: number[], attrs: ConvAttrs): tf.TensorInfo {
  const info = convInfoOf(x.shape, filterShape, attrs, 'Conv2DBackpropFilter')
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info
  const { top, left, bottom: fwdBottom, right: fwdRight } = info.padInfo
  // XNNPACK repacks a conv's filter on every call (about 8 ns per value on wasm), and here the filter
  // is a whole activation. With stride 1 either x or dy can play the filter: take the smaller.
  const ordinaryPads = top < kh && fwdBottom < kh && left < kw && fwdRight < kw
  if (sh === 1 && sw === 1 && ordinaryPads && h * w * ci < oh * ow * co) {
    return filterGradientPackingX(calls, x, dy, info)
  }
  // Padding after the input so the output is exactly kh x kw; negative means the forward conv never
  // read the last rows, so they are cropped instead.
  const bottom = kh + (oh - 1) * sh - h - top
  const right = kw + (ow - 1) * sw - w - left
  // [N,H,W,C] -> [C,H*W,N] is the same bytes as [C,H,W,N]; the 3-d form takes the faster path.
  let xT = calls.run('Transpose', { x: calls.run('Reshape', { x }, { shape: [n, h * w, ci] }) }, { perm: [2, 1, 0] })
  xT = calls.run('Reshape', { x: xT }, { shape: [ci, h, w, n] })
  let hUsed = h
  let wUsed = w
  if (bottom < 0 || right < 0) {
    hUsed = h + Math.min(0, bottom)
    wUsed = w + Math.min(0, right)
    xT = calls.run('Slice', { x: xT }, { begin: [0, 0, 0, 0], size: [ci, hUsed, wUsed, n] })
  }
  const dyT = calls.run('Transpose', { x: calls.run('Reshape', { x: dy }, { shape: [n, oh * ow, co] }) }, { perm: [1, 0, 2] })
  const dyFilter = calls.run('Reshape', { x: dyT }, { shape: [oh, ow, n, co] })
  const g = calls.run(
    'Conv2D',
    { x: xT, filter: dyFilter },
    {
      strides: [1, 1],
      pad: [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [sh, sw],
    },
  )
  // [ci, kh*kw, co] -> [kh*kw, ci, co]
  const g3 = calls.run('Reshape', { x: g }, { shape: [ci, kh * kw, co] })
  const out = calls.run('Transpose', { x: g3 }, { perm: [1, 0, 2] })
  return calls.finish(calls.run('Reshape', { x: out }, { shape: [kh, kw, ci, co] }))
}

/**
 * Stride 1 only: the same sum as a conv2d of dy^T [co,OH,OW,N] with x as the filter [H,W,N,ci].
 * The output comes out flipped, [co, kh', kw', ci] with kh' = KH-1-kh, and is flipped back.
 */
function filterGradientPackingX(calls: KernelCalls, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info
  const { filterHeight: kh, filterWidth: kw } = info
  const { top, left } = info.padInfo
  const dyT = calls.run('Transpose', { x: calls.run('Reshape', { x: dy }, { shape: [n, oh * ow, co] }) }, { perm: [2, 1, 0] })
  const dyInput = calls.run('Reshape', { x: dyT }, { shape: [co, oh, ow, n] })
  const xT = calls.run('Transpose', { x: calls.run('Reshape', { x }, { shape: [n, h * w, ci] }) }, { perm: [1, 0, 2] })
  const xFilter = calls.run('Reshape', { x: xT }, { shape: [h, w, n, ci] })
  const padTop = kh - 1 - top
  const padLeft = kw - 1 - left
  const padBottom = kh - 1 - oh - padTop + h
  const padRight = kw - 1 - ow - padLeft + w
  const g = calls.run(
    'Conv2D',
    { x: dyInput, filter: xFilter },
    { strides: [1, 1], pad: [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]], dataFormat: 'NHWC', dilations: [1, 1] },
  )
  const unflipped = calls.run('Reverse', { x: g }, { dims: [1, 2] })
  return calls.finish(calls.run('Transpose', { x: unflipped }, { perm: [1, 2, 3, 0] }))
}

/**
 * The input gradient as one stride-1 conv2d plus a depth-to-space shuffle. For stride s each output
 * phase (row mod s, column mod s) of dx is a small correlation of dy with every s-th tap of the
 * flipped filter; stacking the s*s phases as output channels turns the whole gradient into one conv
 * with ceil(k/s) x ceil(k/s) taps, no multiplications by stuffed zeros. For s = 1 this is the usual
 * conv with the flipped, channel-transposed filter.
 */
export function conv2dInputGradient(calls: KernelCalls, dy: tf.TensorInfo, filter: tf.TensorInfo, inputShape: number[], attrs: ConvAttrs): tf.TensorInfo {
  const info = convInfoOf(inputShape, filter.shape, attrs, 'Conv2DBackpropInput')
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info
  const { top, left } = info.padInfo
  if (sh !== sw) throw new Error('conv2dInputGradient needs equal strides (depth-to-space has one block size)')
  const s = sh
  const jh = Math.ceil(kh / s)
  const jw = Math.ceil(kw / s)
  const phases = calls.fromValues([jh, jw, co, s * s * ci], phaseFilter(calls.read(filter), kh, kw, ci, co, s, jh, jw))
  // Output row m of the phase conv holds dx rows u = s*m + r - top for r in [0, s).
  const m0h = Math.floor(top / s)
  const m0w = Math.floor(left / s)
  const mh = Math.floor((top + h - 1) / s) - m0h + 1
  const mw = Math.floor((left + w - 1) / s) - m0w + 1
  const padTop = jh - 1 - m0h
  const padLeft = jw - 1 - m0w
  const padBottom = Math.max(0, mh - oh - padTop + jh - 1)
  const padRight = Math.max(0, mw - ow - padLeft + jw - 1)
  let out = calls.run(
    'Conv2D',
    { x: dy, filter: phases },
    { strides: [1, 1], pad: [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]], dataFormat: 'NHWC', dilations: [1, 1] },
  )
  if (s > 1) {
    // Depth-to-space as one 4-d transpose ([N*Mh, Mw, r, (q,c)] -> [N*Mh, r, Mw, (q,c)]): the wasm
    // DepthToSpace kernel is an element-by-element loop, about 20x slower.
    const [, rows, cols] = out.shape
    const grouped = calls.run('Reshape', { x: out }, { shape: [n * rows, cols, s, s * ci] })
    const shuffled = calls.run('Transpose', { x: grouped }, { perm: [0, 2, 1, 3] })
    out = calls.run('Reshape', { x: shuffled }, { shape: [n, rows * s, cols * s, ci] })
  }
  const offH = top - s * m0h
  const offW = left - s * m0w
  if (offH !== 0 || offW !== 0 || out.shape[1] !== h || out.shape[2] !== w) {
    out = calls.run('Slice', { x: out }, { begin: [0, offH, offW, 0], size: [n, h, w, ci] })
  }
  return calls.finish(out)
}

/**
 * phases[t, v, o, (r*s + q)*ci + c] = W[r + s*(jh-1-t), q + s*(jw-1-v), c, o] (zero past the edge):
 * the flipped filter split into its s*s stride phases, in the channel order DepthToSpace expects.
 */
export function phaseFilter(w: Float32Array, kh: number, kw: number, ci: number, co: number, s: number, jh: number, jw: number): Float32Array {
  const out = new Float32Array(jh * jw * co * s * s * ci)
  const outCh = s * s * ci
  for (let t = 0; t < jh; t++) {
    for (let r = 0; r < s; r++) {
      const fh = r + s * (jh - 1 - t)
      if (fh >= kh) continue
      for (let v = 0; v < jw; v++) {
        for (let q = 0; q < s; q++) {
          const fw = q + s * (jw - 1 - v)
          if (fw >= kw) continue
          const src = (fh * kw + fw) * ci * co
          const dstBase = (t * jw + v) * co * outCh + (r * s + q) * ci
          for (let c = 0; c < ci; c++) {
            for (let o = 0; o < co; o++) out[dstBase + o * outCh + c] = w[src + c * co + o]
          }
        }
      }
    }
  }
  return out
}

/** Equal strides and ordinary padding (at most k-1): what the phase conv handles. */
function phaseConvApplies(inputShape: number[], filterShape: number[], attrs: ConvAttrs): boolean {
  if (attrs.dataFormat === 'NCHW') return false
  const info = convInfoOf(inputShape, filterShape, attrs, 'Conv2DBackpropInput')
  return info.strideHeight === info.strideWidth && info.padInfo.top < info.filterHeight && info.padInfo.left < info.filterWidth
}

let registered = false

/**
 * Registers (or replaces) the wasm conv gradient kernels, a copy-free Identity, and the few kernels
 * other gradients need that wasm lacks (borrowed-kernels.ts). Safe to call more than once and before or
 * after the wasm backend is initialised.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return
  const stockInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm')
  if (stockInput) tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm')
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) tf.unregisterKernel(tf.Conv2DBackpropFilter, 'wasm')

  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo }
      const a = attrs as unknown as ConvAttrs & { filterShape: number[] }
      return conv2dFilterGradient(new KernelCalls(backend as unknown as HeapBackend, 'wasm'), x, dy, a.filterShape, a)
    },
  })
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'wasm',
    // The stock kernel's setup binds its C function; keep it so unequal strides can fall back to it.
    setupFunc: stockInput?.setupFunc,
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo }
      const a = args.attrs as unknown as ConvAttrs & { inputShape: number[] }
      if (!phaseConvApplies(a.inputShape, filter.shape, a) && stockInput) return stockInput.kernelFunc(args)
      return conv2dInputGradient(new KernelCalls(args.backend as unknown as HeapBackend, 'wasm'), dy, filter, a.inputShape, a)
    },
  })
  // The stock wasm Identity copies the whole buffer. tf.clone (used for every tensor a gradient
  // saves) then costs a full pass per saved activation. Tensors are immutable, so sharing the buffer
  // with a reference count is safe; it is what the cpu backend and wasm's own Reshape do.
  if (tf.getKernel(tf.Identity, 'wasm')) tf.unregisterKernel(tf.Identity, 'wasm')
  tf.registerKernel({
    kernelName: tf.Identity,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo }
      ;(backend as unknown as { incRef(id: tf.DataId): void }).incRef(x.dataId)
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
    },
  })
  registerBorrowedKernels()
  registered = true
}
