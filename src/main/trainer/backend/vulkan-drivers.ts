import { existsSync, readdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { AdapterSearch } from './gpu-adapter'

/*
 * On Linux WebGPU (Dawn) reaches the GPU through Vulkan: the loader (libvulkan.so.1) and a driver
 * manifest per GPU driver (an "ICD" .json file). When Dawn finds no adapter, these say why.
 */

/** Chromium's SwiftShader Vulkan driver as Debian installs it: a software adapter for tests and CI. */
export const SWIFTSHADER_DRIVER = '/usr/lib/chromium/vk_swiftshader_icd.json'

function jsonFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(dir, f))
  } catch {
    return []
  }
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * The driver manifests the Vulkan loader would read, in its search order: VK_DRIVER_FILES /
 * VK_ICD_FILENAMES when set (files or folders), else the icd.d folders under the XDG config and
 * data folders and /etc.
 */
export function vulkanDriverFiles(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string[] {
  const override = env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES
  if (override) {
    return override
      .split(delimiter)
      .filter(Boolean)
      .flatMap((p) => (isDirectory(p) ? jsonFilesIn(p) : existsSync(p) ? [p] : []))
  }
  const list = (value: string | undefined, fallback: string): string[] =>
    (value || fallback).split(delimiter).filter(Boolean)
  const roots = [
    env.XDG_CONFIG_HOME || join(home, '.config'),
    ...list(env.XDG_CONFIG_DIRS, '/etc/xdg'),
    '/etc',
    env.XDG_DATA_HOME || join(home, '.local', 'share'),
    ...list(env.XDG_DATA_DIRS, '/usr/local/share:/usr/share'),
  ]
  return [...new Set(roots)].flatMap((root) => jsonFilesIn(join(root, 'vulkan', 'icd.d')))
}

/** Whether the Vulkan loader opens (a library that opens is then refused as "not a Node addon"). */
export function hasVulkanLoader(): boolean {
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, 'libvulkan.so.1')
  } catch (e) {
    return !/cannot open shared object file|no such file/i.test(e instanceof Error ? e.message : String(e))
  }
  return true
}

/** Everything explainNoAdapter needs, looked up on this machine. */
export function adapterSearchHere(): AdapterSearch {
  const linux = process.platform === 'linux'
  return {
    platform: process.platform,
    vulkanLoader: linux ? hasVulkanLoader() : true,
    vulkanDrivers: linux ? vulkanDriverFiles() : [],
    swiftShaderDriver: linux && existsSync(SWIFTSHADER_DRIVER) ? SWIFTSHADER_DRIVER : null,
  }
}
