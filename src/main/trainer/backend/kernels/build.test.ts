import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compileKernels, compilerVersion, embeddedModuleText, MODULE_FILE, sourceHash, WASM_FILE } from './build'
import { CONV_WASM_BASE64, CONV_WASM_COMPILER, CONV_WASM_SOURCE_SHA256 } from './conv-wasm'
import { convKernelsIn, convModule } from './module'

// The committed conv.wasm must be what the kernel sources (kernels/build.ts) build to. With the compiler that built it installed
// (Debian's clang-14), it is rebuilt and compared byte for byte; without it, the source's SHA-256 is
// compared with the one recorded at build time, so an edit to conv.c without a rebuild still fails.

const committed = readFileSync(WASM_FILE)
const here = compilerVersion()
const canRebuild = here === CONV_WASM_COMPILER

describe('the committed conv kernels', () => {
  it('embed in conv-wasm.ts exactly the bytes of conv.wasm', () => {
    expect(Buffer.from(CONV_WASM_BASE64, 'base64').equals(committed)).toBe(true)
    expect(readFileSync(MODULE_FILE, 'utf8')).toBe(
      embeddedModuleText(committed, CONV_WASM_SOURCE_SHA256, CONV_WASM_COMPILER),
    )
  })

  it(
    canRebuild
      ? `are what ${here} builds from the current the kernel sources (kernels/build.ts), byte for byte`
      : `were built from the current sources: their SHA-256 is the one recorded at build time (${CONV_WASM_COMPILER} is not here to rebuild: ${here ?? 'clang-14 not installed'})`,
    () => {
      expect(sourceHash(), 'a kernel source changed since conv.wasm was built: run npm run build:kernels').toBe(
        CONV_WASM_SOURCE_SHA256,
      )
      if (canRebuild)
        expect(
          compileKernels().equals(committed),
          'conv.wasm differs from what the sources build to: run npm run build:kernels',
        ).toBe(true)
    },
  )

  it('import nothing but a memory and hold no data of their own', () => {
    const module = convModule()
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }])
    expect(
      WebAssembly.Module.exports(module)
        .map((e) => e.name)
        .sort(),
    ).toEqual([
      'batch_norm_deviations',
      'batch_norm_dx',
      'batch_norm_forward',
      'batch_norm_grad_sums',
      'batch_norm_gradient',
      'batch_norm_normalise',
      'batch_norm_sums',
      'conv2d_filter_gradient',
      'correlate',
      'momentum_step',
      'pad_nhwc',
      'transpose_taps',
    ])
    expect(sectionIds(committed)).not.toContain(DATA_SECTION)
  })

  it('write only the output they are given (no stack, nothing else in the memory)', () => {
    // A fresh memory full of a marker; the kernels run on tensors placed past the first page (where
    // a stack would be) and every byte outside the outputs must keep its marker.
    const memory = new WebAssembly.Memory({ initial: 4 })
    const heap = new Float32Array(memory.buffer)
    heap.fill(-7.5)
    const kernels = convKernelsIn(memory)
    const x = place(heap, 20_000, 2 * 5 * 5 * 3)
    const dy = place(heap, 21_000, 2 * 5 * 5 * 6)
    const out = { at: 23_000, length: 3 * 3 * 3 * 6 }
    kernels.conv2d_filter_gradient(4 * x, 4 * dy, 4 * out.at, 2, 5, 5, 3, 5, 5, 6, 3, 3, 1, 1, 1, 1)
    const padded = { at: 24_000, length: 2 * 7 * 7 * 3 }
    kernels.pad_nhwc(4 * x, 4 * padded.at, 2, 5, 5, 3, 1, 1, 1, 1)
    const conv = { at: 25_000, length: 2 * 5 * 5 * 6 }
    kernels.correlate(
      4 * padded.at,
      4 * out.at,
      4 * conv.at,
      2,
      5,
      5,
      7 * 7 * 3,
      7 * 3,
      3,
      3,
      3,
      7 * 3,
      3,
      3 * 3 * 6,
      3 * 6,
      3,
      6,
      5 * 5 * 6,
      5 * 6,
      6,
    )
    const transposed = { at: 26_000, length: out.length }
    kernels.transpose_taps(4 * out.at, 4 * transposed.at, 9, 3, 6)
    // Batch norm on dy as 50 rows of 6 channels (a block of 4 and two single channels), dy again as
    // the residual and as the output gradient.
    const [rows, c] = [50, 6]
    const perChannel = place(heap, 27_000, 4 * c) // gamma, beta, moving mean, moving variance
    const [gamma, beta, movingMean, movingVariance] = [0, 1, 2, 3].map((i) => 4 * (perChannel + i * c))
    const y = { at: 28_000, length: rows * c }
    const stats = { at: 28_400, length: 4 * c } // mean, 1/sigma, new moving mean and variance
    const [mean, invStd, newMean, newVariance] = [0, 1, 2, 3].map((i) => 4 * (stats.at + i * c))
    kernels.batch_norm_forward(
      4 * dy,
      4 * dy,
      4 * y.at,
      gamma,
      beta,
      movingMean,
      movingVariance,
      mean,
      invStd,
      newMean,
      newVariance,
      rows,
      c,
      1e-5,
      0.9,
      1,
    )
    const dx = { at: 29_000, length: rows * c }
    const dGammaBeta = { at: 29_400, length: 2 * c }
    const dResidual = { at: 29_500, length: rows * c }
    kernels.batch_norm_gradient(
      4 * dy,
      4 * dy,
      4 * y.at,
      gamma,
      mean,
      invStd,
      4 * dx.at,
      4 * dGammaBeta.at,
      4 * (dGammaBeta.at + c),
      4 * dResidual.at,
      rows,
      c,
      1,
    )
    // The momentum step on 7 values (a vector of 4 and three single ones): w, v, g from dy.
    const stepped = { at: 30_000, length: 14 }
    kernels.momentum_step(4 * dy, 4 * (dy + 7), 4 * (dy + 14), 4 * stepped.at, 4 * (stepped.at + 7), 7, 0.1, 0.9)
    // Batch norm's passes one call each (data-parallel workers), on the same rows.
    const [sums, deviations] = [
      { at: 30_100, length: c },
      { at: 30_110, length: c },
    ]
    kernels.batch_norm_sums(4 * dy, 4 * sums.at, rows, c)
    kernels.batch_norm_deviations(4 * dy, mean, 4 * deviations.at, rows, c)
    const y2 = { at: 30_200, length: rows * c }
    kernels.batch_norm_normalise(4 * dy, 4 * dy, 4 * y2.at, gamma, beta, mean, invStd, rows, c, 1)
    const gradSums = { at: 30_600, length: 2 * c }
    const [dResidual2, dx2] = [
      { at: 30_700, length: rows * c },
      { at: 31_100, length: rows * c },
    ]
    const [sumG, sumGX] = [4 * gradSums.at, 4 * (gradSums.at + c)]
    kernels.batch_norm_grad_sums(4 * dy, 4 * dy, 4 * y2.at, mean, sumG, sumGX, 4 * dResidual2.at, rows, c, 1)
    kernels.batch_norm_dx(4 * dy, 4 * dy, 4 * y2.at, gamma, mean, invStd, sumG, sumGX, 4 * dx2.at, rows, c, 1, 1 / rows)
    const split = [sums, deviations, y2, gradSums, dResidual2, dx2]
    const written = [out, padded, conv, transposed, y, stats, dx, dGammaBeta, dResidual, stepped, ...split]
    const inputs = [
      { at: x, length: 2 * 5 * 5 * 3 },
      { at: dy, length: 2 * 5 * 5 * 6 },
      { at: perChannel, length: 4 * c },
    ]
    let touched = 0
    for (let i = 0; i < heap.length; i++) {
      const inside = [...written, ...inputs].some((r) => i >= r.at && i < r.at + r.length)
      if (!inside && heap[i] !== -7.5) touched++
    }
    expect(touched).toBe(0)
    for (const r of written) expect(heap.subarray(r.at, r.at + r.length).some((v) => v === -7.5)).toBe(false)
  })
})

const DATA_SECTION = 11

/** Ids of a module's sections (each is an id byte and a LEB128 size). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = []
  let at = 8
  while (at < bytes.length) {
    ids.push(bytes[at++])
    let size = 0
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]
      size |= (b & 0x7f) << shift
      if (b < 0x80) break
    }
    at += size
  }
  return ids
}

/** Fills heap[at, at + length) with small distinct values and returns `at`. */
function place(heap: Float32Array, at: number, length: number): number {
  for (let i = 0; i < length; i++) heap[at + i] = ((i * 37) % 17) / 8 - 1
  return at
}
