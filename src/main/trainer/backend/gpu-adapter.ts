import type { GpuAdapter } from '../../../shared/contract/app'

/*
 * What Dawn tells about a WebGPU adapter, in the workbench's terms, and why there is none, in words a
 * user can act on. Pure functions over plain data, so every case has a unit test.
 */

/** The parts of GPUAdapterInfo and GPUSupportedLimits read here (Dawn adds isFallbackAdapter to the info). */
export interface AdapterFacts {
  info: {
    vendor?: string
    architecture?: string
    device?: string
    description?: string
    isFallbackAdapter?: boolean
    type?: string
  }
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number; maxComputeWorkgroupStorageSize: number }
  /** GPUAdapter.isFallbackAdapter (older Dawn puts it on the adapter, newer on its info). */
  isFallbackAdapter?: boolean
}

// Software rasterisers: Google's SwiftShader, Mesa's llvmpipe / lavapipe / softpipe, Microsoft's WARP.
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i

export function describeAdapter(facts: AdapterFacts): GpuAdapter {
  const { info, limits } = facts
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ')
  const software =
    info.isFallbackAdapter === true ||
    facts.isFallbackAdapter === true ||
    /^cpu$/i.test(info.type ?? '') ||
    SOFTWARE.test(text)
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    software,
    maxBufferSize: limits.maxBufferSize,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
  }
}

const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20).toLocaleString('en')} MiB`

/** "SwiftShader driver 5.0.0 (google swiftshader), software; max buffer 1,024 MiB, workgroup storage 32 KiB". */
export function adapterSummary(a: GpuAdapter): string {
  const name = a.description || [a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unnamed adapter'
  const detail = [a.vendor, a.architecture].filter((s) => s && !name.toLowerCase().includes(s.toLowerCase())).join(' ')
  const limits = `max buffer ${mib(Math.min(a.maxBufferSize, a.maxStorageBufferBindingSize))}, workgroup storage ${Math.round(a.maxComputeWorkgroupStorageSize / 1024)} KiB`
  return `${name}${detail ? ` (${detail})` : ''}${a.software ? ', a software adapter (runs on the CPU)' : ''}; ${limits}`
}

/** What was found on the way to an adapter, for explainNoAdapter. */
export interface AdapterSearch {
  platform: NodeJS.Platform
  /** Linux: whether libvulkan.so.1 (the Vulkan loader) opens. */
  vulkanLoader: boolean
  /** Linux: Vulkan driver manifests (ICD .json files) the loader would read. */
  vulkanDrivers: string[]
  /** Chromium's SwiftShader Vulkan driver, when installed (a software adapter for tests and CI). */
  swiftShaderDriver: string | null
}

const LAVAPIPE = /lvp_icd/i

/** Why Dawn returned no adapter, and what to do, for each platform. */
export function explainNoAdapter(s: AdapterSearch): string {
  if (s.platform === 'darwin')
    return 'WebGPU found no Metal GPU: it needs macOS 10.15 or newer on a Mac with a Metal-capable GPU.'
  if (s.platform === 'win32')
    return 'WebGPU found no Direct3D 12 or Vulkan GPU: update the graphics driver (WebGPU needs Windows 10 or newer).'
  const software = s.swiftShaderDriver
    ? ` For a software adapter (slow; for tests), set VK_ICD_FILENAMES=${s.swiftShaderDriver}.`
    : ''
  if (!s.vulkanLoader)
    return `no Vulkan loader (libvulkan.so.1), which WebGPU needs on Linux: install libvulkan1 (\`sudo apt install libvulkan1\`; Fedora: \`sudo dnf install vulkan-loader\`).${software}`
  const gpuDrivers = s.vulkanDrivers.filter((d) => !LAVAPIPE.test(d))
  if (s.vulkanDrivers.length > 0 && gpuDrivers.length === 0) {
    return `the only Vulkan driver here is Mesa's lavapipe (a software rasteriser), which WebGPU (Dawn) refuses: install your GPU's Vulkan driver (AMD or Intel: \`sudo apt install mesa-vulkan-drivers\` on a machine with that GPU; NVIDIA: the NVIDIA driver, which includes Vulkan).${software}`
  }
  if (gpuDrivers.length === 0) {
    return `no Vulkan driver for a GPU: install your GPU's Vulkan driver (AMD or Intel: \`sudo apt install mesa-vulkan-drivers\`; NVIDIA: the NVIDIA driver, which includes Vulkan).${software}`
  }
  const names = gpuDrivers.map((d) => d.split('/').pop()).join(', ')
  return `WebGPU (Dawn) found no usable GPU through the Vulkan drivers here (${names}): check that \`vulkaninfo --summary\` (package vulkan-tools) lists your GPU, and that this user may use it (group render or video).${software}`
}

/** auto skips a software adapter: it trains slower than the wasm backend on the same CPU. */
export function softwareAdapterSkipped(a: GpuAdapter): string {
  return `only a software adapter (${adapterSummary(a)}): it runs on the CPU, slower than wasm, so auto does not use it; ask for backend 'webgpu' to use it anyway.`
}
