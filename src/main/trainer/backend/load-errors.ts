import { CUDA_LIBRARIES, installCommand } from './cuda-libraries'

/*
 * Turns the raw error of loading @tensorflow/tfjs-node-gpu / tfjs-node into words a researcher can act
 * on. Pure functions (no I/O) so every known failure has a unit test with a real-world error string.
 */

export type NativePackage = 'gpu' | 'native'

export const PACKAGE_NAMES: Record<NativePackage, string> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  native: '@tensorflow/tfjs-node',
}

/** What tfjs-node-gpu 4.x wraps: TensorFlow 2.9.1, built against these. */
export const GPU_REQUIREMENT =
  'tfjs-node-gpu 4.x wraps TensorFlow 2.9.1 and needs CUDA 11.2 and cuDNN 8.1 (a CUDA 12 install does not provide the CUDA 11 libraries)'

interface LibraryInfo {
  pattern: RegExp
  what: string
}

// Linux sonames and Windows DLL names TensorFlow 2.9 asks for.
const LIBRARIES: LibraryInfo[] = [
  {
    pattern: /^(libcuda\.so(\.\d+)*|nvcuda\.dll)$/i,
    what: 'the NVIDIA driver (no driver installed, or no NVIDIA GPU)',
  },
  { pattern: /^(libcudart\.so\.11(\.\d+)*|cudart64_11\d*\.dll)$/i, what: 'the CUDA 11 runtime' },
  { pattern: /^(libcublas(Lt)?\.so\.11(\.\d+)*|cublas(Lt)?64_11\.dll)$/i, what: 'cuBLAS from CUDA 11' },
  { pattern: /^(libcufft\.so\.10(\.\d+)*|cufft64_10\.dll)$/i, what: 'cuFFT from CUDA 11' },
  { pattern: /^(libcurand\.so\.10(\.\d+)*|curand64_10\.dll)$/i, what: 'cuRAND from CUDA 11' },
  { pattern: /^(libcusolver\.so\.11(\.\d+)*|cusolver64_11\.dll)$/i, what: 'cuSOLVER from CUDA 11' },
  { pattern: /^(libcusparse\.so\.11(\.\d+)*|cusparse64_11\.dll)$/i, what: 'cuSPARSE from CUDA 11' },
  { pattern: /^(libcudnn(_\w+)?\.so\.8(\.\d+)*|cudnn(_\w+)?64_8\.dll)$/i, what: 'cuDNN 8' },
  { pattern: /^(libcu\w*\.so(\.\d+)*|cu\w*64_\d+\.dll)$/i, what: 'a CUDA library' },
]

/** Shared libraries a load error (or TensorFlow's log) says could not be opened, in order, unique. */
export function missingLibraries(raw: string): string[] {
  const found: string[] = []
  const patterns = [
    // dlopen: "libcudart.so.11.0: cannot open shared object file: No such file or directory"
    /([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file/g,
    // TensorFlow's log: "Could not load dynamic library 'libcudnn.so.8'; dlerror: ..."
    /Could not load dynamic library '([^']+)'/g,
    // Windows: "cudart64_110.dll not found"
    /([\w.-]+\.dll) not found/gi,
  ]
  for (const re of patterns) {
    for (const m of raw.matchAll(re)) {
      const lib = m[1]
      if (!found.includes(lib)) found.push(lib)
    }
  }
  return found
}

export function describeLibrary(lib: string): string {
  return LIBRARIES.find((l) => l.pattern.test(lib))?.what ?? 'a library TensorFlow needs'
}

const isCudaLibrary = (lib: string) => /^(lib)?cu/i.test(lib) || /^nvcuda/i.test(lib)

/**
 * How to get missing CUDA 11 / cuDNN 8 libraries on Linux: the one pip command for NVIDIA's wheels
 * (the trainer finds them in Python and conda environments by itself), or the old way.
 */
export function howToGetCudaLibraries(missing: readonly string[]): string {
  const wheels = CUDA_LIBRARIES.filter((l) => missing.includes(l.soname))
  const command = installCommand(wheels)
  const oldWay =
    'or install CUDA 11.2 and cuDNN 8.1 (they can sit beside a newer CUDA) and put their lib folders on LD_LIBRARY_PATH (Windows: PATH)'
  if (!command) return `Install them: ${oldWay}.`
  return `Get ${wheels.length > 1 ? 'them' : 'it'} with \`${command}\` (the workbench finds NVIDIA's pip wheels in your Python and conda environments and puts them on the trainer's library path), ${oldWay}.`
}

/** The error of importing a package that is not in node_modules. */
export function isNotInstalled(raw: string, pkg: NativePackage): boolean {
  const name = PACKAGE_NAMES[pkg].replace(/[/]/g, '\\/')
  return new RegExp(
    `(Cannot find (module|package) '${name}'|ERR_MODULE_NOT_FOUND[^\\n]*${name}|Failed to (load|resolve)[^\\n]*${name})`,
  ).test(raw)
}

/**
 * One or two sentences: what failed, why, and what to do. `raw` is the error message (and stack or
 * captured stderr, if any) from loading the package.
 */
export function explainLoadError(pkg: NativePackage, raw: string): string {
  const name = PACKAGE_NAMES[pkg]
  const fallback = pkg === 'gpu' ? "Use backend 'native' (CPU) or 'wasm' meanwhile." : "Use backend 'wasm' meanwhile."
  if (isNotInstalled(raw, pkg)) {
    const install =
      pkg === 'gpu'
        ? `not installed. On a Linux machine with an NVIDIA GPU, run \`npm install ${name}@4.22.0\` (its install downloads libtensorflow, so it needs internet access); it needs the CUDA 11 and cuDNN 8 libraries, which the workbench finds in NVIDIA's pip wheels, conda environments and /usr/local/cuda-11.x. Any other GPU trains through backend 'webgpu'.`
        : `not installed. Run \`npm install ${name}@4.22.0\` (its install downloads libtensorflow, so it needs internet access).`
    return `${name} is ${install}`
  }
  const libs = missingLibraries(raw)
  const cuda = libs.filter(isCudaLibrary)
  if (cuda.length > 0) {
    const list = cuda.map((l) => `${l} (${describeLibrary(l)})`).join(', ')
    if (cuda.every((l) => /^(libcuda\.so|nvcuda)/i.test(l))) {
      return `${name} could not load ${list}: install the NVIDIA driver, or use a machine with an NVIDIA GPU. ${fallback}`
    }
    return `${name} could not load ${list}. ${GPU_REQUIREMENT}. ${howToGetCudaLibraries(cuda)} ${fallback}`
  }
  if (
    libs.some((l) => /libtensorflow/.test(l)) ||
    /tfjs_binding\.node[^\n]*(can not be found|cannot be found|not found)/i.test(raw)
  ) {
    return `${name} is installed but incomplete: its native part (libtensorflow / tfjs_binding.node) is missing, usually because the download during \`npm install\` failed. Run \`npm rebuild ${name}\` with internet access. ${fallback}`
  }
  const glibc = raw.match(/version [`']?(GLIBC(?:XX)?_[\d.]+)[`']? not found/)
  if (glibc) {
    return `${name} needs ${glibc[1]}, newer than this system's C library: use a newer Linux (e.g. Ubuntu 20.04+) or backend 'wasm'.`
  }
  if (/NODE_MODULE_VERSION/.test(raw)) {
    return `${name} was built for a different Node.js/Electron version: run \`npm rebuild ${name}\`. ${fallback}`
  }
  if (/The specified module could not be found/i.test(raw)) {
    const extra =
      pkg === 'gpu' ? ` ${GPU_REQUIREMENT}; check that the CUDA 11.2 and cuDNN 8.1 bin folders are on PATH.` : ''
    return `${name} could not load one of the DLLs it depends on.${extra} ${fallback}`
  }
  const firstLine =
    raw
      .split('\n')
      .find((l) => l.trim().length > 0)
      ?.trim() ?? 'unknown error'
  return `${name} failed to load: ${firstLine}. ${fallback}`
}

/**
 * tfjs-node-gpu loaded but TensorFlow found no GPU: it then trains on the CPU without an error.
 * `missing` are the CUDA libraries a probe could not open.
 */
export function explainGpuNotUsed(missing: string[]): string {
  if (missing.length === 0) {
    return `@tensorflow/tfjs-node-gpu loaded, but TensorFlow found no usable GPU and would run on the CPU. ${GPU_REQUIREMENT}; check \`nvidia-smi\` and that the GPU is visible to this process (CUDA_VISIBLE_DEVICES).`
  }
  const list = missing.map((l) => `${l} (${describeLibrary(l)})`).join(', ')
  const driver = missing.some((l) => /^libcuda\.so/.test(l)) ? ' Install the NVIDIA driver first.' : ''
  const libraries = missing.filter((l) => !/^libcuda\.so/.test(l))
  return `@tensorflow/tfjs-node-gpu loaded, but TensorFlow cannot use the GPU: ${list} not found, so it would silently run on the CPU. ${GPU_REQUIREMENT}.${driver}${libraries.length ? ` ${howToGetCudaLibraries(libraries)}` : ''}`
}
