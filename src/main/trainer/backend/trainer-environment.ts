import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { findCudaLibraries, type CudaSearchPlaces, type FoundLibrary } from './cuda-libraries'

/*
 * The environment a trainer process starts with. The dynamic loader reads LD_LIBRARY_PATH when a
 * process starts, so the CUDA 11 libraries found for tfjs-node-gpu go on it here, before the fork.
 * Not their folders themselves: a conda environment's lib folder also holds its own libstdc++,
 * libssl and more, which would shadow the system's for Node. Instead a private folder of links to
 * exactly the CUDA libraries found goes first on the path.
 */

export interface TrainerEnvironmentOptions extends CudaSearchPlaces {
  /** Where the folder of links is kept (default ~/.cache/affect-workbench/cuda-libraries). */
  cacheDir?: string
  /** Whether @tensorflow/tfjs-node-gpu is installed (default: looked up); without it nothing is added. */
  gpuPackage?: boolean
  platform?: NodeJS.Platform
}

function gpuPackageInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu')
    return true
  } catch {
    return false
  }
}

/** A folder holding a link per library found, named after what it links to (so a change makes a new one). */
export function linkFolder(found: readonly FoundLibrary[], cacheDir: string): string {
  const hash = createHash('sha256')
    .update(found.map((f) => `${f.soname}=${f.path}`).join('\n'))
    .digest('hex')
    .slice(0, 16)
  const dir = join(cacheDir, hash)
  mkdirSync(dir, { recursive: true })
  for (const lib of found) {
    const link = join(dir, lib.soname)
    if (existsSync(link) && readlinkSync(link) === lib.path) continue
    try {
      symlinkSync(lib.path, link)
    } catch (e) {
      // Another trainer starting at the same moment made the same link.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
  }
  return dir
}

const cacheHome = (env: NodeJS.ProcessEnv): string => env.XDG_CACHE_HOME || join(homedir(), '.cache')

/** `env` with the CUDA 11 libraries found for tfjs-node-gpu first on LD_LIBRARY_PATH (Linux). */
export function trainerEnvironment(opts: TrainerEnvironmentOptions = {}): NodeJS.ProcessEnv {
  const env = opts.env ?? process.env
  if ((opts.platform ?? process.platform) !== 'linux' || !(opts.gpuPackage ?? gpuPackageInstalled())) return env
  const { found } = findCudaLibraries(opts)
  if (found.length === 0) return env
  try {
    const dir = linkFolder(found, opts.cacheDir ?? join(cacheHome(env), 'affect-workbench', 'cuda-libraries'))
    return { ...env, LD_LIBRARY_PATH: [dir, env.LD_LIBRARY_PATH].filter(Boolean).join(':') }
  } catch {
    // A read-only home: the libraries stay where they are and `affect info` names what is missing.
    return env
  }
}

let cached: NodeJS.ProcessEnv | null = null

/** trainerEnvironment() of this process, looked up once (every trainer and probe starts with it). */
export function trainerEnvironmentOnce(): NodeJS.ProcessEnv {
  cached ??= trainerEnvironment()
  return cached
}
