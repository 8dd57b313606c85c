// The messages an allocation failure shows up as, in V8, WebAssembly, libtensorflow and Dawn.
const OUT_OF_MEMORY =
  /out of memory|\boom\b|failed to allocate|allocation failed|cannot allocate|could not allocate|array buffer allocation|invalid typed array length|invalid array length|WebAssembly\.Memory|memory access out of bounds|resource exhausted/i

export const isOutOfMemory = (message: string): boolean => OUT_OF_MEMORY.test(message)
