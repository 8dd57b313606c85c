import { CONV_WASM_BASE64 } from './conv-wasm'

/*
 * The training kernels (conv.c, batch-norm-forward.c, batch-norm-gradient.c and momentum.c, built into conv-wasm.ts) instantiated inside a tfjs wasm backend's own
 * memory: they read and write tensors in place, no copies in or out. One instance per memory (each
 * worker thread has its own backend and memory).
 */

/** The C kernels' exports; every argument is an int32, pointers are byte addresses in the shared memory. */
export interface ConvKernelExports {
  conv2d_filter_gradient(
    x: number,
    dy: number,
    dw: number,
    n: number,
    h: number,
    w: number,
    ci: number,
    oh: number,
    ow: number,
    co: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
  ): void
  correlate(
    input: number,
    filter: number,
    out: number,
    batch: number,
    outH: number,
    outW: number,
    inBatch: number,
    inRow: number,
    inPx: number,
    tapsH: number,
    tapsW: number,
    inTapRow: number,
    inTapPx: number,
    fTapRow: number,
    fTapPx: number,
    cin: number,
    cout: number,
    outBatch: number,
    outRow: number,
    outPx: number,
  ): void
  pad_nhwc(
    src: number,
    dst: number,
    n: number,
    h: number,
    w: number,
    c: number,
    top: number,
    bottom: number,
    left: number,
    right: number,
  ): void
  transpose_taps(src: number, dst: number, taps: number, ci: number, co: number): void
  batch_norm_forward(
    x: number,
    residual: number,
    y: number,
    gamma: number,
    beta: number,
    movingMean: number,
    movingVariance: number,
    mean: number,
    invStd: number,
    newMovingMean: number,
    newMovingVariance: number,
    m: number,
    c: number,
    epsilon: number,
    decay: number,
    relu: number,
  ): void
  batch_norm_gradient(
    dy: number,
    x: number,
    y: number,
    gamma: number,
    mean: number,
    invStd: number,
    dx: number,
    dGamma: number,
    dBeta: number,
    dResidual: number,
    m: number,
    c: number,
    relu: number,
  ): void
  batch_norm_sums(x: number, sum: number, m: number, c: number): void
  batch_norm_deviations(x: number, mean: number, sum: number, m: number, c: number): void
  batch_norm_normalise(
    x: number,
    residual: number,
    y: number,
    gamma: number,
    beta: number,
    mean: number,
    invStd: number,
    m: number,
    c: number,
    relu: number,
  ): void
  batch_norm_grad_sums(
    dy: number,
    x: number,
    y: number,
    mean: number,
    sumG: number,
    sumGX: number,
    dResidual: number,
    m: number,
    c: number,
    relu: number,
  ): void
  batch_norm_dx(
    dy: number,
    x: number,
    y: number,
    gamma: number,
    mean: number,
    invStd: number,
    sumG: number,
    sumGX: number,
    dx: number,
    m: number,
    c: number,
    relu: number,
    invM: number,
  ): void
  momentum_step(
    w: number,
    v: number,
    g: number,
    newW: number,
    newV: number,
    n: number,
    learningRate: number,
    momentum: number,
  ): void
}

const EXPORTS = [
  'conv2d_filter_gradient',
  'correlate',
  'pad_nhwc',
  'transpose_taps',
  'batch_norm_forward',
  'batch_norm_gradient',
  'batch_norm_sums',
  'batch_norm_deviations',
  'batch_norm_normalise',
  'batch_norm_grad_sums',
  'batch_norm_dx',
  'momentum_step',
] as const

let compiled: WebAssembly.Module | undefined
const instances = new WeakMap<WebAssembly.Memory, ConvKernelExports>()

/** The compiled module; throws with the reason when this runtime cannot compile it (no SIMD). */
export function convModule(): WebAssembly.Module {
  if (!compiled) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(CONV_WASM_BASE64, 'base64'))
    } catch (e) {
      throw new Error(
        `the conv kernels need WebAssembly SIMD, which this runtime could not compile (${e instanceof Error ? e.message : String(e)})`,
        { cause: e },
      )
    }
  }
  return compiled
}

/** The kernels working in `memory` (instantiated on first use). */
export function convKernelsIn(memory: WebAssembly.Memory): ConvKernelExports {
  let kernels = instances.get(memory)
  if (!kernels) {
    const { exports } = new WebAssembly.Instance(convModule(), { env: { memory } })
    const missing = EXPORTS.filter((name) => typeof exports[name] !== 'function')
    if (missing.length > 0)
      throw new Error(`conv kernels module lacks ${missing.join(', ')}: rebuild it with npm run build:kernels`)
    kernels = exports as unknown as ConvKernelExports
    instances.set(memory, kernels)
  }
  return kernels
}
