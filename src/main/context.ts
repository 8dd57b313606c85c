import type { AppInfo, BackendStatus } from '../shared/contract'
import { WorkbenchError } from '../shared/errors'
import { EventBus } from './events/event-bus'
import { Settings } from './settings'
import type { ActiveTrainer } from './training/runs-service'
import { nodeTrainerLauncher, type TrainerLauncher } from './training/trainer-host'
import { Workspace } from './workspace/workspace'

export interface ContextOptions {
  transport: AppInfo['transport']
  settings?: Settings
  /** Which training backends can load here; probed once, lazily (loading tfjs takes a moment). */
  probeBackends: () => Promise<BackendStatus[]>
  /** Starts trainer processes: child_process.fork by default, utilityProcess in Electron. */
  launchTrainer?: TrainerLauncher
  /** Called after a workspace is opened (e.g. to mark runs a crash interrupted). */
  onWorkspaceOpened?: (ctx: WorkbenchContext) => void
}

/** The state one running workbench (app, headless server or CLI command) shares across services. */
export class WorkbenchContext {
  readonly events = new EventBus()
  readonly settings: Settings
  readonly transport: AppInfo['transport']
  readonly launchTrainer: TrainerLauncher
  /** Trainer processes of this workbench, by run id. */
  readonly trainers = new Map<number, ActiveTrainer>()
  private current: Workspace | null = null
  private backends: Promise<BackendStatus[]> | null = null

  constructor(private readonly options: ContextOptions) {
    this.settings = options.settings ?? Settings.inDir()
    this.transport = options.transport
    this.launchTrainer = options.launchTrainer ?? nodeTrainerLauncher
  }

  get workspace(): Workspace | null {
    return this.current
  }

  /** The open workspace, or a clear error for the UI to show. */
  requireWorkspace(): Workspace {
    if (!this.current) throw new WorkbenchError('no_workspace', 'No workspace open: create one, or create the demo workspace.')
    return this.current
  }

  setWorkspace(workspace: Workspace | null): void {
    if (this.current && this.current !== workspace) {
      this.stopTrainers()
      this.current.close()
    }
    this.current = workspace
    if (workspace) {
      this.settings.rememberWorkspace(workspace.path)
      this.options.onWorkspaceOpened?.(this)
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
