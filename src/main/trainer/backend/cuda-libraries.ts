import { existsSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/*
 * tfjs-node-gpu 4.x (TensorFlow 2.9) opens the CUDA 11 and cuDNN 8 libraries by soname when it
 * starts. Machines with a CUDA 12 driver rarely have them on the loader's path, but often somewhere
 * else: a CUDA 11 toolkit beside the new one, a conda environment, or the NVIDIA pip wheels inside a
 * Python environment (what PyTorch and TensorFlow install). This finds them where users have them;
 * trainer-environment.ts puts them on the trainer's library path. Linux only (Windows finds DLLs on
 * PATH, which the CUDA installer sets).
 */

export interface CudaLibrary {
  /** The soname TensorFlow 2.9 opens. */
  soname: string
  /** What it is, in words. */
  what: string
  /** The pip wheel that ships it (CUDA 11 builds), for the one command that gets it. */
  wheel: string
  /** Folder of that wheel under site-packages/nvidia. */
  wheelDir: string
}

/** NVIDIA's pip wheel of cuDNN 8 for CUDA 11 (the 9.x wheels ship libcudnn.so.9, which TensorFlow 2.9 cannot use). */
const CUDNN_WHEEL = 'nvidia-cudnn-cu11==8.6.0.163'

export const CUDA_LIBRARIES: readonly CudaLibrary[] = [
  {
    soname: 'libcudart.so.11.0',
    what: 'the CUDA 11 runtime',
    wheel: 'nvidia-cuda-runtime-cu11',
    wheelDir: 'cuda_runtime',
  },
  { soname: 'libcublas.so.11', what: 'cuBLAS from CUDA 11', wheel: 'nvidia-cublas-cu11', wheelDir: 'cublas' },
  { soname: 'libcublasLt.so.11', what: 'cuBLAS-Lt from CUDA 11', wheel: 'nvidia-cublas-cu11', wheelDir: 'cublas' },
  { soname: 'libcufft.so.10', what: 'cuFFT from CUDA 11', wheel: 'nvidia-cufft-cu11', wheelDir: 'cufft' },
  { soname: 'libcurand.so.10', what: 'cuRAND from CUDA 11', wheel: 'nvidia-curand-cu11', wheelDir: 'curand' },
  { soname: 'libcusolver.so.11', what: 'cuSOLVER from CUDA 11', wheel: 'nvidia-cusolver-cu11', wheelDir: 'cusolver' },
  { soname: 'libcusparse.so.11', what: 'cuSPARSE from CUDA 11', wheel: 'nvidia-cusparse-cu11', wheelDir: 'cusparse' },
  { soname: 'libcudnn.so.8', what: 'cuDNN 8', wheel: CUDNN_WHEEL, wheelDir: 'cudnn' },
]

/** cuDNN 8 opens its parts (libcudnn_ops_infer.so.8, libcudnn_cnn_train.so.8 ...) from the same path. */
const CUDNN_PART = /^libcudnn_\w+\.so\.8$/

export interface FoundLibrary {
  soname: string
  /** The file found (a folder's entry; it may be a link). */
  path: string
  /** Where it came from, in words: "pip wheel in /home/u/.venv", "conda environment /opt/conda/envs/tf"... */
  source: string
}

export interface CudaSearch {
  found: FoundLibrary[]
  /** The libraries of CUDA_LIBRARIES found nowhere. */
  missing: CudaLibrary[]
}

export interface CudaSearchPlaces {
  env?: NodeJS.ProcessEnv
  home?: string
  /** Prefix of the system folders (/usr, /opt); tests point it at a fake tree. */
  root?: string
}

interface Place {
  dir: string
  source: string
}

const subdirs = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => d.name)
      .sort()
  } catch {
    return []
  }
}

/** Python environments' site-packages folders under a prefix (lib/python3.X/site-packages, dist-packages). */
function sitePackages(prefix: string): string[] {
  const lib = join(prefix, 'lib')
  return subdirs(lib)
    .filter((d) => /^python3(\.\d+)?$/.test(d))
    .flatMap((py) => ['site-packages', 'dist-packages'].map((s) => join(lib, py, s)))
    .filter((d) => existsSync(d))
}

/** A Python environment's NVIDIA wheel folders (site-packages/nvidia/<part>/lib). */
function wheelPlaces(prefix: string, label: string): Place[] {
  return sitePackages(prefix).flatMap((site) =>
    subdirs(join(site, 'nvidia')).map((part) => ({
      dir: join(site, 'nvidia', part, 'lib'),
      source: `pip wheel in ${label}`,
    })),
  )
}

/** Conda installs and their environments: the folders users keep them in. */
function condaPrefixes(env: NodeJS.ProcessEnv, home: string, root: string): string[] {
  const bases = [
    env.CONDA_PREFIX,
    env.CONDA_EXE ? join(env.CONDA_EXE, '..', '..') : undefined,
    ...['miniconda3', 'anaconda3', 'miniforge3', 'mambaforge', 'micromamba', '.conda'].map((d) => join(home, d)),
    join(root, 'opt', 'conda'),
  ]
  const prefixes: string[] = []
  for (const base of bases) {
    if (!base || !existsSync(base)) continue
    prefixes.push(base, ...subdirs(join(base, 'envs')).map((e) => join(base, 'envs', e)))
  }
  return [...new Set(prefixes)]
}

/** Every folder searched, most specific first (an explicit LD_LIBRARY_PATH, then the active environments). */
function places(opts: CudaSearchPlaces): Place[] {
  const env = opts.env ?? process.env
  const home = opts.home ?? homedir()
  const root = opts.root ?? '/'
  const out: Place[] = (env.LD_LIBRARY_PATH ?? '')
    .split(':')
    .filter(Boolean)
    .map((dir) => ({ dir, source: 'LD_LIBRARY_PATH' }))
  const venvs = [env.VIRTUAL_ENV, join(home, '.venv'), join(home, 'venv')].filter(
    (p): p is string => !!p && existsSync(p),
  )
  for (const v of venvs) out.push(...wheelPlaces(v, v))
  out.push(...wheelPlaces(join(home, '.local'), 'your user site-packages (pip install --user)'))
  for (const prefix of condaPrefixes(env, home, root)) {
    out.push(...wheelPlaces(prefix, prefix))
    out.push({ dir: join(prefix, 'lib'), source: `conda environment ${prefix}` })
  }
  for (const cuda of [
    'cuda-11.8',
    'cuda-11.7',
    'cuda-11.6',
    'cuda-11.5',
    'cuda-11.4',
    'cuda-11.3',
    'cuda-11.2',
    'cuda-11',
    'cuda',
  ]) {
    const base = join(root, 'usr', 'local', cuda)
    out.push(
      { dir: join(base, 'lib64'), source: base },
      { dir: join(base, 'targets', 'x86_64-linux', 'lib'), source: base },
    )
  }
  for (const system of ['usr/lib/x86_64-linux-gnu', 'usr/lib64', 'usr/lib', 'opt/cuda/lib64'])
    out.push({ dir: join(root, system), source: 'the system libraries' })
  for (const prefix of [join(root, 'usr'), join(root, 'usr', 'local')])
    out.push(...wheelPlaces(prefix, `the system Python (${prefix})`))
  return out
}

/** Finds each library TensorFlow 2.9 needs for CUDA (first place wins) and cuDNN's parts beside cuDNN. */
export function findCudaLibraries(opts: CudaSearchPlaces = {}): CudaSearch {
  const found: FoundLibrary[] = []
  const missing: CudaLibrary[] = []
  const searched = places(opts)
  for (const lib of CUDA_LIBRARIES) {
    const place = searched.find((p) => existsSync(join(p.dir, lib.soname)))
    if (!place) {
      missing.push(lib)
      continue
    }
    found.push({ soname: lib.soname, path: join(place.dir, lib.soname), source: place.source })
    if (lib.soname === 'libcudnn.so.8') {
      for (const part of safeList(place.dir).filter((f) => CUDNN_PART.test(f)))
        found.push({ soname: part, path: join(place.dir, part), source: place.source })
    }
  }
  return { found, missing }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort()
  } catch {
    return []
  }
}

/** The one command that installs the missing CUDA 11 libraries (NVIDIA's pip wheels), or null when none is missing. */
export function installCommand(missing: readonly CudaLibrary[]): string | null {
  const wheels = [...new Set(missing.map((l) => l.wheel))]
  return wheels.length ? `python3 -m pip install --user ${wheels.join(' ')}` : null
}

/** "libcudnn.so.8 (cuDNN 8) and libcufft.so.10 (cuFFT from CUDA 11) are missing: python3 -m pip install --user ...". */
export function describeCudaSearch(search: CudaSearch): string {
  if (search.missing.length === 0) {
    const sources = [...new Set(search.found.map((f) => f.source))]
    return `the CUDA 11 and cuDNN 8 libraries were found (${sources.join('; ')}) and are put on the trainer's library path.`
  }
  const list = search.missing.map((l) => `${l.soname} (${l.what})`).join(', ')
  return `missing ${list}; get ${search.missing.length > 1 ? 'them' : 'it'} with \`${installCommand(search.missing)}\` (the workbench finds NVIDIA's pip wheels in your Python environments, conda environments and /usr/local/cuda-11.x by itself).`
}
