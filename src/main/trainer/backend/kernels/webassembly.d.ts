// The parts of the WebAssembly JS API the conv kernels use. The main process compiles without the
// DOM library, which is where TypeScript declares them; Node has them all.
declare global {
  namespace WebAssembly {
    class Memory {
      constructor(descriptor: { initial: number; maximum?: number })
      readonly buffer: ArrayBuffer
      grow(delta: number): number
    }
    class Module {
      constructor(bytes: ArrayBufferView | ArrayBuffer)
      static imports(module: Module): { module: string; name: string; kind: string }[]
      static exports(module: Module): { name: string; kind: string }[]
    }
    class Instance {
      constructor(module: Module, imports?: Record<string, Record<string, unknown>>)
      readonly exports: Record<string, unknown>
    }
  }
}

export {}
