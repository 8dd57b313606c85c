import { z } from 'zod'
import { method } from './define'
import { personNameSchema } from './text'

/** Training backends, in the order 'auto' tries them (webgpu only on a hardware adapter). */
export const TRAINING_BACKENDS = ['gpu', 'webgpu', 'native', 'wasm', 'cpu'] as const
export type BackendName = (typeof TRAINING_BACKENDS)[number]

/** The WebGPU adapter Dawn found: what a user needs to recognise their GPU and its limits that matter. */
export interface GpuAdapter {
  vendor: string
  architecture: string
  device: string
  description: string
  /** A software rasteriser (SwiftShader, llvmpipe, WARP...): slower than wasm, never picked by 'auto'. */
  software: boolean
  /** Largest GPU buffer in bytes (one tensor); a training batch is split to stay under it. */
  maxBufferSize: number
  /** Largest storage buffer a shader may bind, in bytes. */
  maxStorageBufferBindingSize: number
  /** Workgroup shared memory in bytes (the tiled matrix and conv kernels use it). */
  maxComputeWorkgroupStorageSize: number
}

/** Whether a training backend can load on this machine, and in words why not. */
export interface BackendStatus {
  backend: BackendName
  available: boolean
  reason: string
  /** webgpu: the adapter found, when there is one. */
  adapter?: GpuAdapter
}

export interface WorkspaceInfo {
  path: string
  name: string
  datasets: number
  images: number
}

export interface AppInfo {
  name: string
  version: string
  /** How the UI reaches main: the desktop app's IPC, or the headless HTTP server. */
  transport: 'electron' | 'headless' | 'cli'
  backends: BackendStatus[]
  workspace: WorkspaceInfo | null
  /** Workspaces opened before, most recent first. */
  recentWorkspaces: string[]
  /** The annotator name remembered for label edits, if one was given. */
  annotator: string | null
}

export const appMethods = {
  'app.info': method<AppInfo>()(
    z.object({}).strict(),
    'Version, training backends that can load here, the open workspace.',
    'coder',
  ),
  'app.setAnnotator': method<{ annotator: string }>()(
    z.object({ annotator: personNameSchema }).strict(),
    'Remember the name recorded with your label edits.',
  ),
  'app.chooseFolder': method<{ folder: string } | { cancelled: true }>()(
    z.object({ title: z.string().trim().min(1).max(200) }).strict(),
    "Ask for a folder in the desktop app's folder picker; the headless mode has none (the folder is typed: a path on the machine running the workbench).",
  ),
  'workspace.create': method<WorkspaceInfo>()(
    z.object({ path: z.string().min(1, 'Give a folder for the workspace') }).strict(),
    'Create a new workspace folder (catalogue, thumbnails, runs) and open it.',
  ),
  'workspace.open': method<WorkspaceInfo>()(
    z.object({ path: z.string().min(1, 'Give the workspace folder') }).strict(),
    'Open an existing workspace and remember it.',
  ),
  'workspace.close': method<{ closed: boolean }>()(z.object({}).strict(), 'Close the open workspace.'),
} as const
