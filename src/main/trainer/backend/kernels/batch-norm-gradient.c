// Batch norm's gradient on tfjs's WebAssembly backend, NHWC float32, SIMD128 (the forward pass and
// the layout are batch-norm-forward.c): two passes over the rows, sums of g and g*(x - mean), then
// dx; in one call (batch_norm_gradient), or one call per pass (batch_norm_grad_sums, batch_norm_dx)
// for data-parallel workers, which add up every worker's sums in between (kernels/batch-norm.ts).

#include <wasm_simd128.h>

#define INLINE static inline __attribute__((always_inline))
#define ROW_CHUNK 256
#define V4(M) M(0) M(1) M(2) M(3)
#define V1(M) M(0)

// Gradient. g = dy where the output was positive (ReLU) or dy; with a residual, its gradient is g.
//   dbeta = sum g,  dgamma = sum g * (x - mean) / sigma,
//   dx = a * (g - mean(g)) - a * (x - mean) * dgamma / (sigma * m),  a = gamma / sigma.

typedef struct {
  const float *gamma, *mean, *inv_std;
  float *dgamma, *dbeta;
} GradStats;

#define GZERO(k) v128_t sg##k = wasm_f32x4_splat(0.0f), sgx##k = wasm_f32x4_splat(0.0f); v128_t mu##k = wasm_v128_load(s->mean + 4 * k);
#define GVAL(k) v128_t g##k = wasm_v128_load(dp + 4 * k); \
  if (relu) g##k = wasm_v128_and(g##k, wasm_f32x4_gt(wasm_v128_load(yp + 4 * k), zero)); \
  if (dres) wasm_v128_store(rp + 4 * k, g##k);
#define GADD(k) GVAL(k) \
  sg##k = wasm_f32x4_add(sg##k, g##k); \
  sgx##k = wasm_f32x4_add(sgx##k, wasm_f32x4_mul(g##k, wasm_f32x4_sub(wasm_v128_load(xp + 4 * k), mu##k)));
#define GFLUSH(k) \
  wasm_v128_store(s->dbeta + 4 * k, wasm_f32x4_add(wasm_v128_load(s->dbeta + 4 * k), sg##k)); \
  wasm_v128_store(s->dgamma + 4 * k, wasm_f32x4_add(wasm_v128_load(s->dgamma + 4 * k), sgx##k));
#define GCLEAR(k) \
  wasm_v128_store(s->dbeta + 4 * k, wasm_f32x4_splat(0.0f)); \
  wasm_v128_store(s->dgamma + 4 * k, wasm_f32x4_splat(0.0f));

#define GRAD_SUMS_BLOCK(NAME, VS) \
  INLINE void NAME(const float* dy, const float* x, const float* y, float* dres, const GradStats* s, int m, int c, int relu) { \
    v128_t zero = wasm_f32x4_splat(0.0f); \
    VS(GCLEAR) \
    for (int r0 = 0; r0 < m; r0 += ROW_CHUNK) { \
      int r1 = r0 + ROW_CHUNK < m ? r0 + ROW_CHUNK : m; \
      VS(GZERO) \
      for (int r = r0; r < r1; r++) { \
        const float *dp = dy + r * c, *xp = x + r * c, *yp = y + r * c; \
        float* rp = dres ? dres + r * c : 0; \
        VS(GADD) \
      } \
      VS(GFLUSH) \
    } \
  }

GRAD_SUMS_BLOCK(grad_sums_16, V4)
GRAD_SUMS_BLOCK(grad_sums_4, V1)

INLINE void grad_sums_1(const float* dy, const float* x, const float* y, float* dres, const GradStats* s, int m, int c, int relu) {
  float sg = 0, sgx = 0, mu = s->mean[0];
  for (int r = 0; r < m; r++) {
    float g = relu && !(y[r * c] > 0) ? 0 : dy[r * c];
    if (dres) dres[r * c] = g;
    sg += g;
    sgx += g * (x[r * c] - mu);
  }
  *s->dbeta = sg;
  *s->dgamma = sgx;
}

// From the sums: dgamma scaled by 1/sigma; a, b and the constant of dx = a * g + b * x + cc kept in
// the place of the sums they replace is not possible (they are outputs), so dx recomputes them.
INLINE void finish_grad(GradStats* s, int k) { s->dgamma[k] = s->dgamma[k] * s->inv_std[k]; }

#define DXLOAD(k) \
  v128_t a##k = wasm_f32x4_mul(wasm_v128_load(s->gamma + 4 * k), wasm_v128_load(s->inv_std + 4 * k)); \
  v128_t b##k = wasm_f32x4_mul(wasm_f32x4_mul(a##k, wasm_v128_load(s->inv_std + 4 * k)), \
                               wasm_f32x4_mul(wasm_v128_load(s->dgamma + 4 * k), minus_inv_m)); \
  v128_t c##k = wasm_f32x4_sub(wasm_f32x4_mul(wasm_f32x4_neg(a##k), wasm_f32x4_mul(wasm_v128_load(s->dbeta + 4 * k), inv_m)), \
                               wasm_f32x4_mul(b##k, wasm_v128_load(s->mean + 4 * k)));
#define DXSTEP(k) { \
    v128_t g = wasm_v128_load(dp + 4 * k); \
    if (relu) g = wasm_v128_and(g, wasm_f32x4_gt(wasm_v128_load(yp + 4 * k), zero)); \
    v128_t v = wasm_f32x4_add(wasm_f32x4_mul(g, a##k), wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(xp + 4 * k), b##k), c##k)); \
    wasm_v128_store(op + 4 * k, v); }

#define DX_BLOCK(NAME, VS) \
  INLINE void NAME(const float* dy, const float* x, const float* y, float* dx, const GradStats* s, int m, int c, int relu, \
                   float inv_m_1) { \
    v128_t zero = wasm_f32x4_splat(0.0f); \
    v128_t inv_m = wasm_f32x4_splat(inv_m_1), minus_inv_m = wasm_f32x4_splat(-inv_m_1); \
    VS(DXLOAD) \
    for (int r = 0; r < m; r++) { \
      const float *dp = dy + r * c, *xp = x + r * c, *yp = y + r * c; \
      float* op = dx + r * c; \
      VS(DXSTEP) \
    } \
  }

DX_BLOCK(dx_16, V4)
DX_BLOCK(dx_4, V1)

INLINE void dx_1(const float* dy, const float* x, const float* y, float* dx, const GradStats* s, int m, int c, int relu,
                 float inv_m) {
  float a = s->gamma[0] * s->inv_std[0];
  float b = -a * s->inv_std[0] * s->dgamma[0] * inv_m;
  float cc = -a * (s->dbeta[0] * inv_m) - b * s->mean[0];
  for (int r = 0; r < m; r++) {
    float g = relu && !(y[r * c] > 0) ? 0 : dy[r * c];
    dx[r * c] = g * a + (x[r * c] * b + cc);
  }
}

#define GRAD_BLOCK(NAME, WIDTH, SUMS, DX) \
  INLINE void NAME(const float* dy, const float* x, const float* y, float* dx, float* dres, GradStats* s, int k, int m, int c, int relu) { \
    GradStats b = {s->gamma + k, s->mean + k, s->inv_std + k, s->dgamma + k, s->dbeta + k}; \
    SUMS(dy + k, x + k, y + k, dres ? dres + k : 0, &b, m, c, relu); \
    for (int j = 0; j < WIDTH; j++) finish_grad(&b, j); \
    DX(dy + k, x + k, y + k, dx + k, &b, m, c, relu, 1.0f / (float)m); \
  }

GRAD_BLOCK(grad_16, 16, grad_sums_16, dx_16)
GRAD_BLOCK(grad_4, 4, grad_sums_4, dx_4)
GRAD_BLOCK(grad_1, 1, grad_sums_1, dx_1)

// dy, x, y (the forward's output, for the ReLU), dx, dres (0 for no residual): [m][c]; gamma, mean,
// inv_std in (the forward's), dgamma, dbeta out: [c].
__attribute__((export_name("batch_norm_gradient")))
void batch_norm_gradient(const float* dy, const float* x, const float* y, const float* gamma, const float* mean,
                         const float* inv_std, float* dx, float* dgamma, float* dbeta, float* dres, int m, int c,
                         int relu) {
  GradStats s = {gamma, mean, inv_std, dgamma, dbeta};
  int k = 0;
  for (; k + 16 <= c; k += 16) grad_16(dy, x, y, dx, dres, &s, k, m, c, relu);
  for (; k + 4 <= c; k += 4) grad_4(dy, x, y, dx, dres, &s, k, m, c, relu);
  for (; k < c; k++) grad_1(dy, x, y, dx, dres, &s, k, m, c, relu);
}

// ---------------------------------------------------------------------------------------------
// The two passes one call each, for every channel. The caller adds up the sums of every worker
// (each weighted by its share of the loss) before dx; inv_m is then 1 / (share * whole batch's rows).

#define GRAD_STATS_AT(k) {gamma + k, mean + k, inv_std + k, sum_gx + k, sum_g + k}

// sum_g[k] = sum of g, sum_gx[k] = sum of g * (x - mean) over the m rows; dres = g when not 0.
__attribute__((export_name("batch_norm_grad_sums")))
void batch_norm_grad_sums(const float* dy, const float* x, const float* y, const float* mean, float* sum_g,
                          float* sum_gx, float* dres, int m, int c, int relu) {
  const float *gamma = 0, *inv_std = 0;
  int k = 0;
  for (; k + 16 <= c; k += 16) {
    GradStats b = GRAD_STATS_AT(k);
    grad_sums_16(dy + k, x + k, y + k, dres ? dres + k : 0, &b, m, c, relu);
  }
  for (; k + 4 <= c; k += 4) {
    GradStats b = GRAD_STATS_AT(k);
    grad_sums_4(dy + k, x + k, y + k, dres ? dres + k : 0, &b, m, c, relu);
  }
  for (; k < c; k++) {
    GradStats b = GRAD_STATS_AT(k);
    grad_sums_1(dy + k, x + k, y + k, dres ? dres + k : 0, &b, m, c, relu);
  }
}

// dx = a * g - a * (sum_g + (x - mean) * sum_gx / sigma^2) * inv_m, a = gamma / sigma, from the sums
// of the whole batch. sum_gx is overwritten (scaled by 1 / sigma).
__attribute__((export_name("batch_norm_dx")))
void batch_norm_dx(const float* dy, const float* x, const float* y, const float* gamma, const float* mean,
                   const float* inv_std, float* sum_g, float* sum_gx, float* dx, int m, int c, int relu, float inv_m) {
  int k = 0;
  for (; k + 16 <= c; k += 16) {
    GradStats b = GRAD_STATS_AT(k);
    for (int j = 0; j < 16; j++) finish_grad(&b, j);
    dx_16(dy + k, x + k, y + k, dx + k, &b, m, c, relu, inv_m);
  }
  for (; k + 4 <= c; k += 4) {
    GradStats b = GRAD_STATS_AT(k);
    for (int j = 0; j < 4; j++) finish_grad(&b, j);
    dx_4(dy + k, x + k, y + k, dx + k, &b, m, c, relu, inv_m);
  }
  for (; k < c; k++) {
    GradStats b = GRAD_STATS_AT(k);
    finish_grad(&b, 0);
    dx_1(dy + k, x + k, y + k, dx + k, &b, m, c, relu, inv_m);
  }
}
