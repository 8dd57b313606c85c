import { z } from 'zod'
import { method } from './define'
import { personNameSchema } from './text'

export type BackendName = 'gpu' | 'native' | 'wasm' | 'cpu'

/** Whether a training backend can load on this machine, and in words why not. */
export interface BackendStatus {
  backend: BackendName
  available: boolean
  reason: string
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
  'app.info': method<AppInfo>()(z.object({}).strict(), 'Version, training backends that can load here, the open workspace.'),
  'app.setAnnotator': method<{ annotator: string }>()(
    z.object({ annotator: personNameSchema }).strict(),
    'Remember the name recorded with your label edits.',
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
