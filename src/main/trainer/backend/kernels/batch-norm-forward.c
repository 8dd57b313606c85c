// Batch norm's training forward pass on tfjs's WebAssembly backend, NHWC float32, SIMD128: moments,
// normalise, scale and shift, residual add, ReLU, in one call (batch_norm_forward), or in its three
// passes one call each (batch_norm_sums, batch_norm_deviations, batch_norm_normalise) for
// data-parallel workers, which add up every worker's sums between the passes (synchronised batch
// norm, kernels/batch-norm.ts). Its gradient is batch-norm-gradient.c.
//
// Why: written with tfjs ops, one batch norm took about 25 kernel calls (forward and backward), each
// a pass over the activation plus tfjs's per-call overhead; after our conv kernels that was most of
// the rest of a step. Here the forward is three passes over x (sum, squared deviations, output),
// all in tfjs's own memory (see conv.c for why the module has no stack and no data).
//
// Layout: x is m rows (every pixel of every image) of c channels. Channels are taken 16 at a time
// (4 SIMD vectors, kept in registers down the rows), then 4, then one by one; sums are flushed to
// memory every ROW_CHUNK rows so that no float32 register sums more than that many values.

#include <wasm_simd128.h>

#define INLINE static inline __attribute__((always_inline))
#define ROW_CHUNK 256
#define V4(M) M(0) M(1) M(2) M(3)
#define V1(M) M(0)

// Per-channel parameters and results, all [c] arrays (pointers already offset to the block).
typedef struct {
  const float *gamma, *beta, *moving_mean, *moving_var;
  float *mean, *inv_std, *new_moving_mean, *new_moving_var;
  float epsilon, decay;
} Stats;

// ---------------------------------------------------------------------------------------------
// Forward: sum[k] = sum over rows of x (pass 1) or of (x - mean)^2 (pass 2), for a block of channels.

#define SZERO(k) v128_t s##k = wasm_f32x4_splat(0.0f);
#define SADD(k) s##k = wasm_f32x4_add(s##k, wasm_v128_load(p + 4 * k));
#define DLOAD(k) v128_t mu##k = wasm_v128_load(mean + 4 * k);
#define DADD(k) { v128_t d = wasm_f32x4_sub(wasm_v128_load(p + 4 * k), mu##k); s##k = wasm_f32x4_add(s##k, wasm_f32x4_mul(d, d)); }
#define SFLUSH(k) wasm_v128_store(sum + 4 * k, wasm_f32x4_add(wasm_v128_load(sum + 4 * k), s##k));
#define SCLEAR(k) wasm_v128_store(sum + 4 * k, wasm_f32x4_splat(0.0f));

#define SUM_BLOCK(NAME, VS, PRE, ADD) \
  INLINE void NAME(const float* x, const float* mean, float* sum, int m, int c) { \
    VS(SCLEAR) \
    VS(PRE) \
    for (int r0 = 0; r0 < m; r0 += ROW_CHUNK) { \
      int r1 = r0 + ROW_CHUNK < m ? r0 + ROW_CHUNK : m; \
      VS(SZERO) \
      const float* p = x + r0 * c; \
      for (int r = r0; r < r1; r++, p += c) { VS(ADD) } \
      VS(SFLUSH) \
    } \
  }

#define NOTHING(k)
SUM_BLOCK(sums_16, V4, NOTHING, SADD)
SUM_BLOCK(sums_4, V1, NOTHING, SADD)
SUM_BLOCK(deviations_16, V4, DLOAD, DADD)
SUM_BLOCK(deviations_4, V1, DLOAD, DADD)

INLINE void sums_1(const float* x, const float* mean, float* sum, int m, int c) {
  float s = 0;
  for (int r = 0; r < m; r++) s += x[r * c];
  *sum = s;
}

INLINE void deviations_1(const float* x, const float* mean, float* sum, int m, int c) {
  float s = 0, mu = *mean;
  for (int r = 0; r < m; r++) s += (x[r * c] - mu) * (x[r * c] - mu);
  *sum = s;
}

// From the sums to mean, 1/sigma and the moving statistics (unbiased variance, as PyTorch and Keras).
INLINE void finish_mean(Stats* s, int k, int m) { s->mean[k] = s->mean[k] / (float)m; }
INLINE void finish_variance(Stats* s, int k, int m) {
  float variance = s->inv_std[k] / (float)m;
  float unbiased = m > 1 ? s->inv_std[k] / (float)(m - 1) : variance;
  s->inv_std[k] = 1.0f / __builtin_sqrtf(variance + s->epsilon);
  s->new_moving_mean[k] = s->moving_mean[k] * s->decay + s->mean[k] * (1.0f - s->decay);
  s->new_moving_var[k] = s->moving_var[k] * s->decay + unbiased * (1.0f - s->decay);
}

// y = x * scale + shift (+ residual), then ReLU, with scale = gamma / sigma, shift = beta - mean * scale.
#define NLOAD(k) \
  v128_t a##k = wasm_f32x4_mul(wasm_v128_load(s->gamma + 4 * k), wasm_v128_load(s->inv_std + 4 * k)); \
  v128_t b##k = wasm_f32x4_sub(wasm_v128_load(s->beta + 4 * k), wasm_f32x4_mul(wasm_v128_load(s->mean + 4 * k), a##k));
#define NSTEP(k) { \
    v128_t v = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(xp + 4 * k), a##k), b##k); \
    if (residual) v = wasm_f32x4_add(v, wasm_v128_load(rp + 4 * k)); \
    if (relu) v = wasm_f32x4_max(v, zero); \
    wasm_v128_store(yp + 4 * k, v); }

#define NORMALISE_BLOCK(NAME, VS) \
  INLINE void NAME(const float* x, const float* residual, float* y, const Stats* s, int m, int c, int relu) { \
    v128_t zero = wasm_f32x4_splat(0.0f); \
    VS(NLOAD) \
    const float* rp = residual; \
    for (int r = 0; r < m; r++) { \
      const float* xp = x + r * c; \
      float* yp = y + r * c; \
      VS(NSTEP) \
      if (residual) rp += c; \
    } \
  }

NORMALISE_BLOCK(normalise_16, V4)
NORMALISE_BLOCK(normalise_4, V1)

INLINE void normalise_1(const float* x, const float* residual, float* y, const Stats* s, int m, int c, int relu) {
  float a = s->gamma[0] * s->inv_std[0], b = s->beta[0] - s->mean[0] * a;
  for (int r = 0; r < m; r++) {
    float v = x[r * c] * a + b;
    if (residual) v += residual[r * c];
    y[r * c] = relu && !(v > 0) ? 0 : v;
  }
}

// One block of `width` channels starting at channel k: the three passes, each down every row.
#define FORWARD_BLOCK(NAME, WIDTH, SUMS, DEVIATIONS, NORMALISE) \
  INLINE void NAME(const float* x, const float* residual, float* y, Stats* s, int k, int m, int c, int relu) { \
    SUMS(x + k, 0, s->mean + k, m, c); \
    for (int j = k; j < k + WIDTH; j++) finish_mean(s, j, m); \
    DEVIATIONS(x + k, s->mean + k, s->inv_std + k, m, c); \
    for (int j = k; j < k + WIDTH; j++) finish_variance(s, j, m); \
    Stats b = {s->gamma + k, s->beta + k, 0, 0, s->mean + k, s->inv_std + k, 0, 0, 0, 0}; \
    NORMALISE(x + k, residual ? residual + k : 0, y + k, &b, m, c, relu); \
  }

FORWARD_BLOCK(forward_16, 16, sums_16, deviations_16, normalise_16)
FORWARD_BLOCK(forward_4, 4, sums_4, deviations_4, normalise_4)
FORWARD_BLOCK(forward_1, 1, sums_1, deviations_1, normalise_1)

// x, residual (0 for none), y: [m][c]; gamma, beta, moving_mean, moving_var in; mean, inv_std,
// new_moving_mean, new_moving_var out: [c].
__attribute__((export_name("batch_norm_forward")))
void batch_norm_forward(const float* x, const float* residual, float* y, const float* gamma, const float* beta,
                        const float* moving_mean, const float* moving_var, float* mean, float* inv_std,
                        float* new_moving_mean, float* new_moving_var, int m, int c, float epsilon, float decay,
                        int relu) {
  Stats s = {gamma, beta, moving_mean, moving_var, mean, inv_std, new_moving_mean, new_moving_var, epsilon, decay};
  int k = 0;
  for (; k + 16 <= c; k += 16) forward_16(x, residual, y, &s, k, m, c, relu);
  for (; k + 4 <= c; k += 4) forward_4(x, residual, y, &s, k, m, c, relu);
  for (; k < c; k++) forward_1(x, residual, y, &s, k, m, c, relu);
}

// ---------------------------------------------------------------------------------------------
// The three passes one call each, for every channel: between them the caller turns the sums into
// the mean and 1/sigma of the whole batch (its workers' sums added up).

#define EACH_BLOCK(BLOCK16, BLOCK4, BLOCK1, ...) \
  int k = 0; \
  for (; k + 16 <= c; k += 16) BLOCK16(__VA_ARGS__); \
  for (; k + 4 <= c; k += 4) BLOCK4(__VA_ARGS__); \
  for (; k < c; k++) BLOCK1(__VA_ARGS__);

// sum[k] = sum over the m rows of x[.][k].
__attribute__((export_name("batch_norm_sums")))
void batch_norm_sums(const float* x, float* sum, int m, int c) {
  EACH_BLOCK(sums_16, sums_4, sums_1, x + k, 0, sum + k, m, c)
}

// sum[k] = sum over the m rows of (x[.][k] - mean[k])^2.
__attribute__((export_name("batch_norm_deviations")))
void batch_norm_deviations(const float* x, const float* mean, float* sum, int m, int c) {
  EACH_BLOCK(deviations_16, deviations_4, deviations_1, x + k, mean + k, sum + k, m, c)
}

// One block of channels from k: y = x * gamma / sigma + (beta - mean * gamma / sigma) (+ residual), ReLU.
#define NORMALISE_AT(NORMALISE, x, residual, y, s, k, m, c, relu) { \
    Stats b = {s.gamma + k, s.beta + k, 0, 0, s.mean + k, s.inv_std + k, 0, 0, 0, 0}; \
    NORMALISE(x + k, residual ? residual + k : 0, y + k, &b, m, c, relu); }

// y as batch_norm_forward writes it, from the given mean and inv_std = 1 / sigma.
__attribute__((export_name("batch_norm_normalise")))
void batch_norm_normalise(const float* x, const float* residual, float* y, const float* gamma, const float* beta,
                          float* mean, float* inv_std, int m, int c, int relu) {
  Stats s = {gamma, beta, 0, 0, mean, inv_std, 0, 0, 0, 0};
  int k = 0;
  for (; k + 16 <= c; k += 16) NORMALISE_AT(normalise_16, x, residual, y, s, k, m, c, relu)
  for (; k + 4 <= c; k += 4) NORMALISE_AT(normalise_4, x, residual, y, s, k, m, c, relu)
  for (; k < c; k++) NORMALISE_AT(normalise_1, x, residual, y, s, k, m, c, relu)
}
