import type { AppInfo, BackendStatus } from '../../shared/contract'
import { readMedia, type MediaKind } from '../catalogue/media'
import type { FaceFinderLauncher } from '../faces/find-faces'
import { WorkbenchContext } from './context'
import { createHandlers } from './handlers/index'
import { createRouter, type Router } from './router'
import { markInterruptedRuns } from '../runs/runs-service'
import { describeBackends } from '../trainer/backend/describe'
import { nodeTrainerLauncher, type TrainerLauncher } from '../runs/trainer-host'
import type { Settings } from './settings'
import { callLimit } from './call-limits'

export interface Workbench {
  ctx: WorkbenchContext
  router: Router
  /** Image bytes by id for the transports' image URLs. */
  media(id: number, kind: MediaKind): ReturnType<typeof readMedia>
  close(): void
}

/** Assembles one workbench: context, services and the router, for the app, headless mode, CLI or a test. */
export function createWorkbench(options: {
  transport: AppInfo['transport']
  settings?: Settings
  workspace?: string
  createWorkspace?: boolean
  probe?: () => Promise<BackendStatus[]>
  launchTrainer?: TrainerLauncher
  launchFaceFinder?: FaceFinderLauncher
}): Workbench {
  const launchTrainer = options.launchTrainer ?? nodeTrainerLauncher
  // Each backend is loaded in a trainer process of its own, only when someone asks (a few seconds).
  const probeBackends = options.probe ?? (() => describeBackends({ launch: launchTrainer }))
  const ctx = new WorkbenchContext({
    transport: options.transport,
    settings: options.settings,
    probeBackends,
    launchTrainer,
    faceFinderLauncher: options.launchFaceFinder,
    onWorkspaceOpened: markInterruptedRuns,
  })
  if (options.workspace) {
    if (options.createWorkspace) ctx.openOrCreateWorkspace(options.workspace)
    else ctx.openWorkspace(options.workspace)
  }
  const router = createRouter(createHandlers(ctx), {
    onUnexpected: (method, e) => console.error(`[affect] ${method} failed:`, e),
    // The app and the headless server answer every call in time; a CLI command runs as long as it needs.
    timeLimit: options.transport === 'cli' ? null : callLimit,
  })
  return {
    ctx,
    router,
    media: (id, kind) => {
      const ws = ctx.requireWorkspace()
      return readMedia(ws, id, kind)
    },
    close: () => ctx.close(),
  }
}
