import { describe, expect, it } from 'vitest'
import { explainGpuNotUsed, explainLoadError, missingLibraries } from './load-errors'

// Error strings as users report them (tfjs issues #8187, #8269, #8362 and the tfjs-node README).
const CUDA12_CUDART =
  'Error: libcudart.so.11.0: cannot open shared object file: No such file or directory\n    at Module._extensions..node (node:internal/modules/cjs/loader:1460:18)\n    at Object.<anonymous> (/app/node_modules/@tensorflow/tfjs-node-gpu/dist/index.js:72:16)'
const NO_CUDNN_LOG =
  "2024-03-02 10:11:12.345678: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory; LD_LIBRARY_PATH: /usr/local/cuda-12.2/lib64\n2024-03-02 10:11:12.345700: W tensorflow/core/common_runtime/gpu/gpu_device.cc:1850] Cannot dlopen some GPU libraries. Skipping registering GPU devices..."
const NOT_INSTALLED_ESM =
  "Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/src/main/trainer/backend/native.ts"
const NOT_INSTALLED_CJS = "Error: Cannot find module '@tensorflow/tfjs-node'\nRequire stack:\n- /app/index.js"
const NO_ADDON =
  "Error: The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \nPlease run command 'npm rebuild @tensorflow/tfjs-node build-addon-from-source' to rebuild the native addon module."
const NO_LIBTF = 'Error: libtensorflow.so.2: cannot open shared object file: No such file or directory'
const OLD_GLIBC =
  "Error: /lib/x86_64-linux-gnu/libm.so.6: version `GLIBC_2.29' not found (required by /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/../../deps/lib/libtensorflow.so.2)"
const WINDOWS_DLL =
  'Error: The specified module could not be found.\r\n\\\\?\\C:\\app\\node_modules\\@tensorflow\\tfjs-node-gpu\\lib\\napi-v8\\tfjs_binding.node'
const NO_DRIVER = 'Error: libcuda.so.1: cannot open shared object file: No such file or directory'

describe('missingLibraries', () => {
  it('finds the library dlopen could not open', () => {
    expect(missingLibraries(CUDA12_CUDART)).toEqual(['libcudart.so.11.0'])
  })
  it("reads TensorFlow's own log lines, once per library", () => {
    expect(missingLibraries(NO_CUDNN_LOG)).toEqual(['libcudnn.so.8'])
  })
  it('finds Windows DLL names', () => {
    expect(missingLibraries('cudart64_110.dll not found')).toEqual(['cudart64_110.dll'])
  })
  it('finds nothing in an unrelated error', () => {
    expect(missingLibraries('TypeError: x is not a function')).toEqual([])
  })
})

describe('explainLoadError', () => {
  it('names the CUDA 11 runtime and the versions tfjs-node-gpu needs when CUDA 12 is installed', () => {
    const text = explainLoadError('gpu', CUDA12_CUDART)
    expect(text).toContain('libcudart.so.11.0')
    expect(text).toContain('CUDA 11 runtime')
    expect(text).toContain('CUDA 11.2')
    expect(text).toContain('cuDNN 8.1')
    expect(text).toContain('LD_LIBRARY_PATH')
    expect(text).toContain('Get it with `python3 -m pip install --user nvidia-cuda-runtime-cu11`')
  })
  it('names cuDNN 8 when only cuDNN is missing', () => {
    const text = explainLoadError('gpu', NO_CUDNN_LOG)
    expect(text).toContain('libcudnn.so.8 (cuDNN 8)')
    expect(text).toContain('cuDNN 8.1')
    expect(text).toContain('`python3 -m pip install --user nvidia-cudnn-cu11==8.6.0.163`')
  })
  it('says "not installed" with the install command, for ESM and CommonJS errors', () => {
    expect(explainLoadError('gpu', NOT_INSTALLED_ESM)).toMatch(
      /tfjs-node-gpu is not installed.*npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/,
    )
    expect(explainLoadError('native', NOT_INSTALLED_CJS)).toMatch(/tfjs-node is not installed/)
  })
  it('does not call tfjs-node-gpu "not installed" because tfjs-node is missing', () => {
    expect(explainLoadError('gpu', NOT_INSTALLED_CJS)).not.toContain('not installed')
  })
  it('tells to rebuild when the native addon or libtensorflow is missing', () => {
    expect(explainLoadError('native', NO_ADDON)).toContain('npm rebuild @tensorflow/tfjs-node')
    expect(explainLoadError('native', NO_LIBTF)).toContain('incomplete')
  })
  it('names the glibc version that is too old', () => {
    expect(explainLoadError('native', OLD_GLIBC)).toContain('GLIBC_2.29')
  })
  it('explains the Windows "specified module could not be found" with the CUDA requirement', () => {
    const text = explainLoadError('gpu', WINDOWS_DLL)
    expect(text).toContain('DLL')
    expect(text).toContain('CUDA 11.2')
  })
  it('says when the NVIDIA driver itself is missing', () => {
    expect(explainLoadError('gpu', NO_DRIVER)).toContain('NVIDIA driver')
  })
  it('falls back to the first line of an unknown error and a way forward', () => {
    const text = explainLoadError('gpu', 'Error: something odd happened\n    at x')
    expect(text).toContain('something odd happened')
    expect(text).toContain("'wasm'")
  })
})

describe('explainGpuNotUsed', () => {
  it('says it would run on the CPU and which libraries are missing', () => {
    const text = explainGpuNotUsed(['libcudnn.so.8'])
    expect(text).toContain('CPU')
    expect(text).toContain('libcudnn.so.8 (cuDNN 8)')
    expect(text).toContain('Get it with `python3 -m pip install --user nvidia-cudnn-cu11==8.6.0.163`')
  })
  it('gives one command for several missing libraries, and the driver apart', () => {
    const text = explainGpuNotUsed(['libcuda.so.1', 'libcublas.so.11', 'libcublasLt.so.11', 'libcufft.so.10'])
    expect(text).toContain('Install the NVIDIA driver first.')
    expect(text).toContain('Get them with `python3 -m pip install --user nvidia-cublas-cu11 nvidia-cufft-cu11`')
  })
  it('still gives the requirement when no library is missing', () => {
    expect(explainGpuNotUsed([])).toContain('nvidia-smi')
  })
})
