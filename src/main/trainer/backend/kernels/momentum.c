// The momentum-SGD update of one variable on tfjs's WebAssembly backend, float32, SIMD128:
//   v' = momentum * v + g,  w' = w - learning_rate * v'
// in one pass, where tfjs ops took four kernel calls per variable (two multiplies, two adds), each
// with its per-call overhead, on the coordinator's thread while the data-parallel workers wait.
// Like conv.c: no stack, no data; pointers are into tfjs's memory.

#include <wasm_simd128.h>

__attribute__((export_name("momentum_step")))
void momentum_step(const float* w, const float* v, const float* g, float* new_w, float* new_v, int n,
                   float learning_rate, float momentum) {
  v128_t lr = wasm_f32x4_splat(learning_rate), m = wasm_f32x4_splat(momentum);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t nv = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), m), wasm_v128_load(g + i));
    wasm_v128_store(new_v + i, nv);
    wasm_v128_store(new_w + i, wasm_f32x4_sub(wasm_v128_load(w + i), wasm_f32x4_mul(nv, lr)));
  }
  for (; i < n; i++) {
    new_v[i] = v[i] * momentum + g[i];
    new_w[i] = w[i] - new_v[i] * learning_rate;
  }
}
