// Convolution kernels for training on tfjs's WebAssembly backend, NHWC float32, SIMD128.
//
// Why: tfjs-backend-wasm 4.22 has no filter gradient, and re-expressing it as an XNNPACK conv cost
// 2.4x a forward conv (XNNPACK repacks its "filter", there a whole activation, on every call). These
// loops read the tensors where tfjs keeps them: the module imports tfjs's own memory, gets byte
// offsets of its tensors, and has no data of its own and no stack (linked with a stack of size zero
// at address 0, so any use would trap instead of writing into tfjs's data; build.test.ts runs the
// kernels in a marked memory): it cannot touch anything it was not pointed at.
//
// Every kernel is the same register tile: 4 values of one operand (4 input channels, or 4 output
// pixels) times 8 output channels in 8 SIMD accumulators, fed by 2 vector loads and 4 broadcast loads
// per step. That is as many registers as V8 gives wasm SIMD code without spilling; wider tiles
// measured slower. The accumulators are named variables (macros below), not arrays: clang keeps an
// array of vectors on the stack, which here would be tfjs's memory.
//
// Build: npm run build:kernels (build.ts: Debian's clang-14 and lld-14, flags there).

#include <wasm_simd128.h>

// Every helper is inlined into its exported caller, so the small structs passed by pointer below
// become locals; an out-of-line call would put them on the stack.
#define INLINE static inline __attribute__((always_inline))

#define MAD(acc, a, b) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(a, b))
#define ROWS1(M) M(0)
#define ROWS4(M) M(0) M(1) M(2) M(3)

// ---------------------------------------------------------------------------------------------
// Filter gradient: dw[fh][fw][i][o] = sum over b, y, x of x[b][y*sh + fh - pt][x*sw + fw - pl][i] * dy[b][y][x][o].
// For one tap (fh, fw) this is a product of two pixel-by-channel matrices reduced over pixels: the
// tile holds dw for 4 input channels x 8 output channels and walks the tap's valid output pixels.

#define GLOAD1(i) v128_t c##i##0 = wasm_v128_load(dw + i * co);
#define GLOAD2(i) GLOAD1(i) v128_t c##i##1 = wasm_v128_load(dw + i * co + 4);
#define GSTEP1(i) { v128_t a = wasm_v128_load32_splat(xp + i); MAD(c##i##0, a, b0); }
#define GSTEP2(i) { v128_t a = wasm_v128_load32_splat(xp + i); MAD(c##i##0, a, b0); MAD(c##i##1, a, b1); }
#define GSTORE1(i) wasm_v128_store(dw + i * co, c##i##0);
#define GSTORE2(i) GSTORE1(i) wasm_v128_store(dw + i * co + 4, c##i##1);
#define BLOAD1 v128_t b0 = wasm_v128_load(dp);
#define BLOAD2 BLOAD1 v128_t b1 = wasm_v128_load(dp + 4);

// The pixels a tap sees: `rows` x `cols` output pixels starting at x / dy.
typedef struct {
  int rows, cols;
  int x_px, x_row;   // x step per output pixel and per output row
  int dy_px, dy_row; // dy step per output pixel and per output row
  int co;            // dw row length
} TapWindow;

#define GRAD_TILE(NAME, ROWS, LOAD, STEP, STORE, BLOAD) \
  INLINE void NAME(const float* x, const float* dy, float* dw, const TapWindow* t) { \
    int co = t->co; \
    ROWS(LOAD) \
    for (int r = 0; r < t->rows; r++) { \
      const float* xp = x + r * t->x_row; \
      const float* dp = dy + r * t->dy_row; \
      for (int c = 0; c < t->cols; c++) { BLOAD ROWS(STEP) xp += t->x_px; dp += t->dy_px; } \
    } \
    ROWS(STORE) \
  }

GRAD_TILE(grad_4x8, ROWS4, GLOAD2, GSTEP2, GSTORE2, BLOAD2)
GRAD_TILE(grad_4x4, ROWS4, GLOAD1, GSTEP1, GSTORE1, BLOAD1)
GRAD_TILE(grad_1x8, ROWS1, GLOAD2, GSTEP2, GSTORE2, BLOAD2)
GRAD_TILE(grad_1x4, ROWS1, GLOAD1, GSTEP1, GSTORE1, BLOAD1)

// One input channel x one output channel, for channel counts that are not a multiple of 4.
INLINE void grad_1x1(const float* x, const float* dy, float* dw, const TapWindow* t) {
  float s = *dw;
  for (int r = 0; r < t->rows; r++)
    for (int c = 0; c < t->cols; c++) s += x[r * t->x_row + c * t->x_px] * dy[r * t->dy_row + c * t->dy_px];
  *dw = s;
}

// First output index whose input index o*stride + offset is >= 0, and one past the last one below size.
INLINE int first_inside(int offset, int stride) { return offset >= 0 ? 0 : (-offset + stride - 1) / stride; }
INLINE int end_inside(int offset, int stride, int size, int out_size) {
  if (size - 1 - offset < 0) return 0;
  int end = (size - 1 - offset) / stride + 1;
  return end < out_size ? end : out_size;
}

INLINE void grad_tap(const float* x, const float* dy, float* dw, const TapWindow* t, int ci) {
  int co = t->co;
  int i = 0;
  for (; i + 4 <= ci; i += 4) {
    int o = 0;
    for (; o + 8 <= co; o += 8) grad_4x8(x + i, dy + o, dw + i * co + o, t);
    for (; o + 4 <= co; o += 4) grad_4x4(x + i, dy + o, dw + i * co + o, t);
    for (; o < co; o++)
      for (int k = 0; k < 4; k++) grad_1x1(x + i + k, dy + o, dw + (i + k) * co + o, t);
  }
  for (; i < ci; i++) {
    int o = 0;
    for (; o + 8 <= co; o += 8) grad_1x8(x + i, dy + o, dw + i * co + o, t);
    for (; o + 4 <= co; o += 4) grad_1x4(x + i, dy + o, dw + i * co + o, t);
    for (; o < co; o++) grad_1x1(x + i, dy + o, dw + i * co + o, t);
  }
}

#ifndef CHUNK_FLOATS
#define CHUNK_FLOATS 8192
#endif

// x [n][h][w][ci], dy [n][oh][ow][co], dw [kh][kw][ci][co] (overwritten). A few output rows at a
// time (about CHUNK_FLOATS values of x and dy), so that they stay in cache while every tap and
// channel tile reads them.
__attribute__((export_name("conv2d_filter_gradient")))
void conv2d_filter_gradient(const float* x, const float* dy, float* dw, int n, int h, int w, int ci,
                            int oh, int ow, int co, int kh, int kw, int sh, int sw, int pt, int pl) {
  __builtin_memset(dw, 0, sizeof(float) * kh * kw * ci * co);
  int chunk = CHUNK_FLOATS / (ow * co + sh * w * ci);
  if (chunk < 1) chunk = 1;
  for (int b = 0; b < n; b++) {
    for (int c0 = 0; c0 < oh; c0 += chunk) {
      int c1 = c0 + chunk < oh ? c0 + chunk : oh;
      for (int fh = 0; fh < kh; fh++) {
        int y0 = first_inside(fh - pt, sh), y1 = end_inside(fh - pt, sh, h, oh);
        if (y0 < c0) y0 = c0;
        if (y1 > c1) y1 = c1;
        for (int fw = 0; fw < kw && y1 > y0; fw++) {
          int x0 = first_inside(fw - pl, sw), x1 = end_inside(fw - pl, sw, w, ow);
          if (x1 <= x0) continue;
          TapWindow t = {y1 - y0, x1 - x0, sw * ci, sh * w * ci, co, ow * co, co};
          const float* xs = x + ((b * h + y0 * sh + fh - pt) * w + x0 * sw + fw - pl) * ci;
          const float* ds = dy + ((b * oh + y0) * ow + x0) * co;
          grad_tap(xs, ds, dw + (fh * kw + fw) * ci * co, &t, ci);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Correlation over a strided window: the forward conv (on a zero-padded input) and each stride phase
// of the input gradient (on a zero-padded dy, with the flipped, channel-transposed filter):
//   out[b][y][x][o] = sum over taps (ty, tx) and channels c of
//     in[b*in_batch + y*in_row + x*in_px + ty*in_tap_row + tx*in_tap_px + c] * f[ty*f_tap_row + tx*f_tap_px + c*cout + o]
// The tile computes 4 output pixels x 8 output channels over all taps and channels.

#define CZERO1(j) v128_t c##j##0 = wasm_f32x4_splat(0.0f);
#define CZERO2(j) CZERO1(j) v128_t c##j##1 = wasm_f32x4_splat(0.0f);
#define CSTEP1(j) { v128_t a = wasm_v128_load32_splat(ip + j * in_px); MAD(c##j##0, a, b0); }
#define CSTEP2(j) { v128_t a = wasm_v128_load32_splat(ip + j * in_px); MAD(c##j##0, a, b0); MAD(c##j##1, a, b1); }
#define CSTORE1(j) wasm_v128_store(out + j * out_px, c##j##0);
#define CSTORE2(j) CSTORE1(j) wasm_v128_store(out + j * out_px + 4, c##j##1);
#define FLOAD1 v128_t b0 = wasm_v128_load(fp);
#define FLOAD2 FLOAD1 v128_t b1 = wasm_v128_load(fp + 4);

typedef struct {
  int taps_h, taps_w;
  int in_tap_row, in_tap_px;
  int f_tap_row, f_tap_px;
  int cin, cout;
} Taps;

#define CORR_TILE(NAME, ROWS, ZERO, STEP, STORE, FLOAD) \
  INLINE void NAME(const float* in, int in_px, const float* f, const Taps* t, float* out, int out_px) { \
    ROWS(ZERO) \
    for (int ty = 0; ty < t->taps_h; ty++) { \
      for (int tx = 0; tx < t->taps_w; tx++) { \
        const float* ip = in + ty * t->in_tap_row + tx * t->in_tap_px; \
        const float* fp = f + ty * t->f_tap_row + tx * t->f_tap_px; \
        for (int c = 0; c < t->cin; c++) { FLOAD ROWS(STEP) ip++; fp += t->cout; } \
      } \
    } \
    ROWS(STORE) \
  }

CORR_TILE(corr_4x8, ROWS4, CZERO2, CSTEP2, CSTORE2, FLOAD2)
CORR_TILE(corr_4x4, ROWS4, CZERO1, CSTEP1, CSTORE1, FLOAD1)
CORR_TILE(corr_1x8, ROWS1, CZERO2, CSTEP2, CSTORE2, FLOAD2)
CORR_TILE(corr_1x4, ROWS1, CZERO1, CSTEP1, CSTORE1, FLOAD1)

// One output channel of `pixels` output pixels, for channel counts that are not a multiple of 4.
INLINE void corr_1x1(const float* in, int pixels, int in_px, const float* f, const Taps* t, float* out, int out_px) {
  for (int j = 0; j < pixels; j++) {
    float s = 0;
    for (int ty = 0; ty < t->taps_h; ty++)
      for (int tx = 0; tx < t->taps_w; tx++) {
        const float* ip = in + j * in_px + ty * t->in_tap_row + tx * t->in_tap_px;
        const float* fp = f + ty * t->f_tap_row + tx * t->f_tap_px;
        for (int c = 0; c < t->cin; c++) s += ip[c] * fp[c * t->cout];
      }
    out[j * out_px] = s;
  }
}

// One output row, one block of output channels at a time: the block's filter taps stay in cache
// across the row's pixels (a 256-channel filter is megabytes) and the row's input across blocks.
INLINE void corr_row(const float* in, int out_w, int in_px, const float* f, const Taps* t, float* out, int out_px) {
  int o = 0;
  for (; o + 8 <= t->cout; o += 8) {
    int x = 0;
    for (; x + 4 <= out_w; x += 4) corr_4x8(in + x * in_px, in_px, f + o, t, out + x * out_px + o, out_px);
    for (; x < out_w; x++) corr_1x8(in + x * in_px, in_px, f + o, t, out + x * out_px + o, out_px);
  }
  for (; o + 4 <= t->cout; o += 4) {
    int x = 0;
    for (; x + 4 <= out_w; x += 4) corr_4x4(in + x * in_px, in_px, f + o, t, out + x * out_px + o, out_px);
    for (; x < out_w; x++) corr_1x4(in + x * in_px, in_px, f + o, t, out + x * out_px + o, out_px);
  }
  for (; o < t->cout; o++) corr_1x1(in, out_w, in_px, f + o, t, out + o, out_px);
}

__attribute__((export_name("correlate")))
void correlate(const float* in, const float* f, float* out, int batch, int out_h, int out_w,
               int in_batch, int in_row, int in_px, int taps_h, int taps_w, int in_tap_row, int in_tap_px,
               int f_tap_row, int f_tap_px, int cin, int cout, int out_batch, int out_row, int out_px) {
  Taps t = {taps_h, taps_w, in_tap_row, in_tap_px, f_tap_row, f_tap_px, cin, cout};
  for (int b = 0; b < batch; b++)
    for (int y = 0; y < out_h; y++) corr_row(in + b * in_batch + y * in_row, out_w, in_px, f, &t, out + b * out_batch + y * out_row, out_px);
}

// ---------------------------------------------------------------------------------------------
// Helpers for the correlations' operands.

// dst [n][top+h+bottom][left+w+right][c]: src [n][h][w][c] framed by zeros.
__attribute__((export_name("pad_nhwc")))
void pad_nhwc(const float* src, float* dst, int n, int h, int w, int c, int top, int bottom, int left, int right) {
  int pw = left + w + right;
  int row = w * c;
  for (int b = 0; b < n; b++) {
    float* d = dst + b * (top + h + bottom) * pw * c;
    __builtin_memset(d, 0, sizeof(float) * top * pw * c);
    d += top * pw * c;
    for (int y = 0; y < h; y++, d += pw * c) {
      __builtin_memset(d, 0, sizeof(float) * left * c);
      __builtin_memcpy(d + left * c, src + (b * h + y) * row, sizeof(float) * row);
      __builtin_memset(d + left * c + row, 0, sizeof(float) * right * c);
    }
    __builtin_memset(d, 0, sizeof(float) * bottom * pw * c);
  }
}

// dst[t][o][i] = src[t][i][o] for each of `taps` [ci][co] matrices: the input gradient reads the
// filter with output channels as its reduction axis.
__attribute__((export_name("transpose_taps")))
void transpose_taps(const float* src, float* dst, int taps, int ci, int co) {
  for (int t = 0; t < taps; t++, src += ci * co, dst += ci * co)
    for (int i = 0; i < ci; i++)
      for (int o = 0; o < co; o++) dst[o * ci + i] = src[i * co + o];
}
