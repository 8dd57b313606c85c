import type { AppInfo, WorkspaceInfo } from '../../shared/contract'
import type { WorkbenchContext } from '../app/context'
import { WORKBENCH_VERSION } from '../app/version'

/** Version, training backends, the open workspace and what the app remembers. */
export async function appInfo(ctx: WorkbenchContext): Promise<AppInfo> {
  return {
    name: 'Affect Workbench',
    version: WORKBENCH_VERSION,
    transport: ctx.transport,
    backends: await ctx.backendStatus(),
    workspace: ctx.workspace?.info() ?? null,
    recentWorkspaces: ctx.settings.recentWorkspaces,
    annotator: ctx.settings.annotator,
  }
}

export function createWorkspace(ctx: WorkbenchContext, path: string): WorkspaceInfo {
  return ctx.createWorkspace(path).info()
}

export function openWorkspace(ctx: WorkbenchContext, path: string): WorkspaceInfo {
  return ctx.openWorkspace(path).info()
}

export function closeWorkspace(ctx: WorkbenchContext): { closed: boolean } {
  const had = ctx.workspace !== null
  ctx.setWorkspace(null)
  return { closed: had }
}
