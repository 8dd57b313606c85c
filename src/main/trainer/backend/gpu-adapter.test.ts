import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { adapterSummary, describeAdapter, explainNoAdapter, type AdapterSearch } from './gpu-adapter'
import { vulkanDriverFiles } from './vulkan-drivers'

const limits = {
  maxBufferSize: 4 * 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 31,
  maxComputeWorkgroupStorageSize: 32768,
}

describe('what an adapter is', () => {
  it('describes a hardware GPU with the limits that matter', () => {
    const a = describeAdapter({
      info: { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA GeForce RTX 3060' },
      limits,
    })
    expect(a).toMatchObject({ vendor: 'nvidia', architecture: 'ampere', software: false, maxBufferSize: 4 * 2 ** 30 })
    expect(adapterSummary(a)).toBe('NVIDIA GeForce RTX 3060 (ampere); max buffer 2,048 MiB, workgroup storage 32 KiB')
  })

  it('knows a software adapter by the fallback flag, a CPU type or its name', () => {
    expect(
      describeAdapter({
        info: {
          vendor: 'google',
          architecture: 'swiftshader',
          description: 'SwiftShader driver 5.0.0',
          isFallbackAdapter: true,
        },
        limits,
      }).software,
    ).toBe(true)
    expect(describeAdapter({ info: { description: 'some device' }, limits, isFallbackAdapter: true }).software).toBe(
      true,
    )
    expect(describeAdapter({ info: { description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, limits }).software).toBe(true)
    expect(describeAdapter({ info: { description: 'Microsoft Basic Render Driver' }, limits }).software).toBe(true)
    expect(describeAdapter({ info: { description: 'x', type: 'CPU' }, limits }).software).toBe(true)
    expect(
      describeAdapter({ info: { vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' }, limits }).software,
    ).toBe(false)
  })
})

describe('why there is no adapter', () => {
  const linux = (s: Partial<AdapterSearch>): string =>
    explainNoAdapter({ platform: 'linux', vulkanLoader: true, vulkanDrivers: [], swiftShaderDriver: null, ...s })

  it('no Vulkan loader: install libvulkan1', () => {
    expect(linux({ vulkanLoader: false })).toMatch(
      /^no Vulkan loader \(libvulkan\.so\.1\), which WebGPU needs on Linux: install libvulkan1 \(`sudo apt install libvulkan1`/,
    )
  })
  it('no driver at all, or only lavapipe, which Dawn refuses', () => {
    expect(linux({})).toMatch(/^no Vulkan driver for a GPU: install your GPU's Vulkan driver/)
    expect(linux({ vulkanDrivers: ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'] })).toMatch(
      /^the only Vulkan driver here is Mesa's lavapipe \(a software rasteriser\), which WebGPU \(Dawn\) refuses/,
    )
  })
  it('drivers that found no GPU, and the software adapter for tests when Chromium has one', () => {
    const text = linux({
      vulkanDrivers: ['/usr/share/vulkan/icd.d/radeon_icd.x86_64.json'],
      swiftShaderDriver: '/usr/lib/chromium/vk_swiftshader_icd.json',
    })
    expect(text).toContain('(radeon_icd.x86_64.json): check that `vulkaninfo --summary`')
    expect(text).toContain('set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json')
  })
  it('macOS and Windows', () => {
    expect(
      explainNoAdapter({ platform: 'darwin', vulkanLoader: true, vulkanDrivers: [], swiftShaderDriver: null }),
    ).toContain('Metal')
    expect(
      explainNoAdapter({ platform: 'win32', vulkanLoader: true, vulkanDrivers: [], swiftShaderDriver: null }),
    ).toContain('Direct3D 12')
  })
})

describe('Vulkan driver manifests', () => {
  const home = mkdtempSync(join(tmpdir(), 'vulkan-home-'))
  afterAll(() => rmSync(home, { recursive: true, force: true }))
  it('reads VK_ICD_FILENAMES (files or folders) when set, else the icd.d folders', () => {
    const dir = join(home, '.local/share/vulkan/icd.d')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'nvidia_icd.json'), '{}')
    writeFileSync(join(dir, 'notes.txt'), '')
    expect(
      vulkanDriverFiles({ XDG_CONFIG_DIRS: '/nonexistent', XDG_DATA_DIRS: '/nonexistent' }, home).filter((f) =>
        f.startsWith(home),
      ),
    ).toEqual([join(dir, 'nvidia_icd.json')])
    expect(vulkanDriverFiles({ VK_ICD_FILENAMES: `${join(dir, 'nvidia_icd.json')}:/nonexistent.json` }, home)).toEqual([
      join(dir, 'nvidia_icd.json'),
    ])
    expect(vulkanDriverFiles({ VK_DRIVER_FILES: dir }, home)).toEqual([join(dir, 'nvidia_icd.json')])
  })
})
