/*
 * Deterministic weight initialisation. Each variable draws from its own stream, seeded by the
 * network seed and the variable's name, so adding a head or changing depth does not change the
 * initial values of the variables that stay.
 */

/** FNV-1a over the name, mixed with the seed: a 32-bit stream id. */
export function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0)
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // One round of the murmur finaliser so nearby seeds give unrelated streams.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** mulberry32: small, fast, good enough for weight init; uniform in [0, 1). */
export function uniformStream(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Normal(0, std) values (Box-Muller). */
export function normalValues(count: number, std: number, seed: number): Float32Array {
  const next = uniformStream(seed)
  const out = new Float32Array(count)
  for (let i = 0; i < count; i += 2) {
    const u = 1 - next() // (0, 1]: log is finite
    const v = next()
    const r = Math.sqrt(-2 * Math.log(u)) * std
    out[i] = r * Math.cos(2 * Math.PI * v)
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v)
  }
  return out
}

/** Uniform(-limit, limit) values. */
export function uniformValues(count: number, limit: number, seed: number): Float32Array {
  const next = uniformStream(seed)
  const out = new Float32Array(count)
  for (let i = 0; i < count; i++) out[i] = (2 * next() - 1) * limit
  return out
}

/** He/Kaiming normal for a conv filter [kh, kw, in, out]: std = sqrt(2 / fan_in). */
export function heNormal(shape: number[], seed: number, name: string): Float32Array {
  const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1)
  const count = shape.reduce((a, b) => a * b, 1)
  return normalValues(count, Math.sqrt(2 / fanIn), streamSeed(seed, name))
}

/** Glorot uniform for a dense kernel [in, out]: the output layer, where ReLU gain does not apply. */
export function glorotUniform(shape: [number, number], seed: number, name: string): Float32Array {
  const limit = Math.sqrt(6 / (shape[0] + shape[1]))
  return uniformValues(shape[0] * shape[1], limit, streamSeed(seed, name))
}
