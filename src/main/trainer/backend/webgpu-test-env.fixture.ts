import { existsSync } from 'node:fs'
import { SWIFTSHADER_DRIVER } from './vulkan-drivers'

// Test fixture (not shipped): WebGPU on a machine without a GPU, as here and in CI. Chromium's
// SwiftShader Vulkan driver gives a software adapter (Debian's chromium package ships it; CI installs
// chromium and libvulkan1). Set before Dawn first loads, in the test's own process: never rely on
// the shell that started the tests.

/** Points the Vulkan loader at SwiftShader; fails with what to install when it is missing. */
export function useSwiftShader(): Record<string, string> {
  if (!existsSync(SWIFTSHADER_DRIVER)) {
    throw new Error(
      `WebGPU tests need Chromium's SwiftShader Vulkan driver (${SWIFTSHADER_DRIVER}): apt-get install chromium libvulkan1`,
    )
  }
  const env = { VK_ICD_FILENAMES: SWIFTSHADER_DRIVER, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR || '/tmp' }
  Object.assign(process.env, env)
  return env
}
