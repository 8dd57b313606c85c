import type { AppInfo, BackendStatus } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { EventBus } from './event-bus'
import { Settings } from './settings'
import { nodeTrainerLauncher, type ActiveTrainer, type TrainerLauncher } from '../runs/trainer-host'
import { liveHolder, type ServerIdentity } from '../workspace/server-lock'
import { Workspace } from '../workspace/workspace'
import type { FaceFinderLauncher } from '../faces/find-faces'

export interface ContextOptions {
  transport: AppInfo['transport']
  settings?: Settings
  /** Which training backends can load here; probed once, lazily (loading tfjs takes a moment). */
  probeBackends: () => Promise<BackendStatus[]>
  /** Starts trainer processes: child_process.fork by default, utilityProcess in Electron. */
  launchTrainer?: TrainerLauncher
  /** Starts the face finder's process (imports with faces): child_process.fork by default, utilityProcess in Electron. */
  faceFinderLauncher?: FaceFinderLauncher
  /** Called after a workspace is opened (e.g. to mark runs a crash interrupted); not while another server has it. */
  onWorkspaceOpened?: (ctx: WorkbenchContext) => void
}

/** The state one running workbench (app, headless server or CLI command) shares across services. */
export class WorkbenchContext {
  readonly events = new EventBus()
  readonly settings: Settings
  readonly transport: AppInfo['transport']
  readonly launchTrainer: TrainerLauncher
  readonly faceFinderLauncher: FaceFinderLauncher | undefined
  /** Trainer processes of this workbench, by run id. */
  readonly trainers = new Map<number, ActiveTrainer>()
  /** Experiments this workbench is running, by id: what stops one, and the promise of its end. */
  readonly experiments = new Map<number, { stop: () => void; done: Promise<void> }>()
  /** The app and `affect serve` are servers: each holds its workspace alone. CLI commands are not. */
  private readonly server: ServerIdentity | null
  private current: Workspace | null = null
  private backends: Promise<BackendStatus[]> | null = null

  constructor(private readonly options: ContextOptions) {
    this.settings = options.settings ?? Settings.inDir()
    this.transport = options.transport
    this.launchTrainer = options.launchTrainer ?? nodeTrainerLauncher
    this.faceFinderLauncher = options.faceFinderLauncher
    this.server = options.transport === 'cli' ? null : { kind: options.transport, port: null }
  }

  get workspace(): Workspace | null {
    return this.current
  }

  /** The open workspace, or a clear error for the UI to show. */
  requireWorkspace(): Workspace {
    if (!this.current)
      throw new WorkbenchError('no_workspace', 'No workspace open: create one, or create the demo workspace.')
    return this.current
  }

  /** Opens an existing workspace (a server takes its lock) and makes it the current one. */
  openWorkspace(path: string): Workspace {
    return this.use(Workspace.open(path, { server: this.server }))
  }

  /** Creates a workspace in an empty or new folder and makes it the current one. */
  createWorkspace(path: string): Workspace {
    return this.use(Workspace.create(path, { server: this.server }))
  }

  openOrCreateWorkspace(path: string): Workspace {
    return this.use(Workspace.openOrCreate(path, { server: this.server }))
  }

  /** The port a headless server listens on, recorded in its workspace lock for a second server's message. */
  listeningOn(port: number): void {
    if (this.server) this.server.port = port
    this.current?.lock?.setPort(port)
  }

  private use(workspace: Workspace): Workspace {
    this.setWorkspace(workspace)
    return workspace
  }

  setWorkspace(workspace: Workspace | null): void {
    if (this.current && this.current !== workspace) {
      this.stopTrainers()
      this.current.close()
    }
    this.current = workspace
    if (workspace) {
      this.settings.rememberWorkspace(workspace.path)
      // Runs left "running" are interrupted only if no server is training them right now.
      if (workspace.lock || !liveHolder(workspace.path)) this.options.onWorkspaceOpened?.(this)
    }
    this.events.publish('workspace.changed', { workspace: workspace?.info() ?? null })
  }

  backendStatus(): Promise<BackendStatus[]> {
    this.backends ??= this.options.probeBackends()
    return this.backends
  }

  /** Ends this workbench's trainers; their runs read as interrupted (resumable) at the next open. */
  private stopTrainers(): void {
    for (const trainer of this.trainers.values()) trainer.process.kill()
    this.trainers.clear()
  }

  close(): void {
    this.stopTrainers()
    this.current?.close()
    this.current = null
  }
}
