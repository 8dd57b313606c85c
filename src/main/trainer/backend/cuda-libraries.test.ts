import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CUDA_LIBRARIES, describeCudaSearch, findCudaLibraries, installCommand } from './cuda-libraries'
import { trainerEnvironment } from './trainer-environment'

// Fake library trees in temporary folders, laid out as CUDA toolkits, conda environments and
// NVIDIA's pip wheels lay them out (files named like the real libraries, empty inside).

const roots: string[] = []
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true })
})

function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'cuda-tree-'))
  roots.push(root)
  for (const f of files) {
    mkdirSync(dirname(join(root, f)), { recursive: true })
    writeFileSync(join(root, f), '')
  }
  return root
}

const ALL_WHEELS = (site: string) => [
  `${site}/nvidia/cuda_runtime/lib/libcudart.so.11.0`,
  `${site}/nvidia/cublas/lib/libcublas.so.11`,
  `${site}/nvidia/cublas/lib/libcublasLt.so.11`,
  `${site}/nvidia/cufft/lib/libcufft.so.10`,
  `${site}/nvidia/curand/lib/libcurand.so.10`,
  `${site}/nvidia/cusolver/lib/libcusolver.so.11`,
  `${site}/nvidia/cusparse/lib/libcusparse.so.11`,
  `${site}/nvidia/cudnn/lib/libcudnn.so.8`,
  `${site}/nvidia/cudnn/lib/libcudnn_ops_infer.so.8`,
  `${site}/nvidia/cudnn/lib/libcudnn_cnn_train.so.8`,
]

const search = (root: string, env: NodeJS.ProcessEnv = {}) =>
  findCudaLibraries({ env, home: join(root, 'home/u'), root })

describe('finding the CUDA 11 libraries tfjs-node-gpu needs', () => {
  it("finds NVIDIA's pip wheels in the user's site-packages, cuDNN's parts included", () => {
    const root = tree(ALL_WHEELS('home/u/.local/lib/python3.11/site-packages'))
    const found = search(root)
    expect(found.missing).toEqual([])
    expect(found.found.map((f) => f.soname)).toEqual([
      'libcudart.so.11.0',
      'libcublas.so.11',
      'libcublasLt.so.11',
      'libcufft.so.10',
      'libcurand.so.10',
      'libcusolver.so.11',
      'libcusparse.so.11',
      'libcudnn.so.8',
      'libcudnn_cnn_train.so.8',
      'libcudnn_ops_infer.so.8',
    ])
    expect(found.found[0].path).toBe(
      join(root, 'home/u/.local/lib/python3.11/site-packages/nvidia/cuda_runtime/lib/libcudart.so.11.0'),
    )
    expect(found.found[0].source).toBe('pip wheel in your user site-packages (pip install --user)')
  })

  it('finds wheels in a virtual environment and a conda environment, the toolkit in /usr/local/cuda-11.2, and prefers the active environment', () => {
    const root = tree([
      ...ALL_WHEELS('home/u/venv-a/lib/python3.10/site-packages'),
      'home/u/miniconda3/envs/tf/lib/libcudnn.so.8',
      'usr/local/cuda-11.2/lib64/libcudart.so.11.0',
      'usr/local/cuda-11.2/lib64/libcufft.so.10',
    ])
    const venv = search(root, { VIRTUAL_ENV: join(root, 'home/u/venv-a') })
    expect(venv.missing).toEqual([])
    expect(venv.found.find((f) => f.soname === 'libcudart.so.11.0')!.source).toBe(
      `pip wheel in ${join(root, 'home/u/venv-a')}`,
    )

    const conda = search(root)
    expect(conda.found.find((f) => f.soname === 'libcudnn.so.8')!.source).toBe(
      `conda environment ${join(root, 'home/u/miniconda3/envs/tf')}`,
    )
    expect(conda.found.find((f) => f.soname === 'libcudart.so.11.0')!.path).toBe(
      join(root, 'usr/local/cuda-11.2/lib64/libcudart.so.11.0'),
    )
    expect(conda.missing.map((l) => l.soname)).toEqual([
      'libcublas.so.11',
      'libcublasLt.so.11',
      'libcurand.so.10',
      'libcusolver.so.11',
      'libcusparse.so.11',
    ])
  })

  it('does not take CUDA 12 or cuDNN 9 libraries for the ones TensorFlow 2.9 opens', () => {
    const root = tree([
      'usr/local/cuda-12.4/lib64/libcudart.so.12',
      'usr/local/cuda/lib64/libcudart.so.12',
      'home/u/.local/lib/python3.12/site-packages/nvidia/cudnn/lib/libcudnn.so.9',
    ])
    expect(search(root).found).toEqual([])
  })

  it('names exactly what is missing and the one command that gets it', () => {
    const root = tree(ALL_WHEELS('home/u/.local/lib/python3.11/site-packages').filter((f) => !/cudnn|cufft/.test(f)))
    const found = search(root)
    expect(describeCudaSearch(found)).toBe(
      "missing libcufft.so.10 (cuFFT from CUDA 11), libcudnn.so.8 (cuDNN 8); get them with `python3 -m pip install --user nvidia-cufft-cu11 nvidia-cudnn-cu11==8.6.0.163` (the workbench finds NVIDIA's pip wheels in your Python environments, conda environments and /usr/local/cuda-11.x by itself).",
    )
    expect(installCommand(CUDA_LIBRARIES)).toBe(
      'python3 -m pip install --user nvidia-cuda-runtime-cu11 nvidia-cublas-cu11 nvidia-cufft-cu11 nvidia-curand-cu11 nvidia-cusolver-cu11 nvidia-cusparse-cu11 nvidia-cudnn-cu11==8.6.0.163',
    )
    expect(installCommand([])).toBeNull()
  })
})

describe("the trainer's environment", () => {
  it('puts a folder of links to exactly the libraries found first on LD_LIBRARY_PATH, not the folders they sit in', () => {
    const root = tree([
      ...ALL_WHEELS('home/u/miniconda3/lib/python3.11/site-packages'),
      'home/u/miniconda3/lib/libstdc++.so.6',
      'home/u/miniconda3/lib/libcudnn.so.8',
    ])
    const cacheDir = join(root, 'cache')
    const env = trainerEnvironment({
      env: { LD_LIBRARY_PATH: '/opt/other', PATH: '/usr/bin' },
      home: join(root, 'home/u'),
      root,
      cacheDir,
      gpuPackage: true,
      platform: 'linux',
    })
    const [links, rest] = env.LD_LIBRARY_PATH!.split(':')
    expect(rest).toBe('/opt/other')
    expect(links.startsWith(cacheDir)).toBe(true)
    expect(env.PATH).toBe('/usr/bin')
    expect(readlinkSync(join(links, 'libcudart.so.11.0'))).toBe(
      join(root, 'home/u/miniconda3/lib/python3.11/site-packages/nvidia/cuda_runtime/lib/libcudart.so.11.0'),
    )
    expect(readlinkSync(join(links, 'libcudnn_ops_infer.so.8'))).toContain('nvidia/cudnn/lib')
    const linked = execFileSync('ls', [links], { encoding: 'utf8' }).trim().split('\n')
    expect(linked).not.toContain('libstdc++.so.6')
    expect(linked).toHaveLength(10)
    // The same libraries give the same folder: a second trainer reuses it.
    expect(
      trainerEnvironment({ env: {}, home: join(root, 'home/u'), root, cacheDir, gpuPackage: true, platform: 'linux' })
        .LD_LIBRARY_PATH,
    ).toBe(links)
  })

  it('leaves the environment alone without tfjs-node-gpu, off Linux, or when nothing is found', () => {
    const root = tree(ALL_WHEELS('home/u/.local/lib/python3.11/site-packages'))
    const env = { LD_LIBRARY_PATH: '/x' }
    const opts = { env, home: join(root, 'home/u'), root, cacheDir: join(root, 'cache') }
    expect(trainerEnvironment({ ...opts, gpuPackage: false, platform: 'linux' })).toBe(env)
    expect(trainerEnvironment({ ...opts, gpuPackage: true, platform: 'darwin' })).toBe(env)
    expect(trainerEnvironment({ ...opts, home: join(root, 'nobody'), gpuPackage: true, platform: 'linux' })).toBe(env)
  })
})
