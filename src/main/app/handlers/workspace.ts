import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'
import { createDemoWorkspace } from '../../workspace/demo-workspace'
import { closeWorkspace, createWorkspace, openWorkspace } from '../../workspace/workspaces'

/** workspace.* and demo.create: which workspace is open. */
export const workspaceHandlers = (ctx: WorkbenchContext) =>
  ({
    'workspace.create': ({ path }) => createWorkspace(ctx, path),
    'workspace.open': ({ path }) => openWorkspace(ctx, path),
    'workspace.close': () => closeWorkspace(ctx),
    'demo.create': ({ path, size, seed }) => createDemoWorkspace(ctx, { path, size, seed }),
  }) satisfies Partial<Handlers>
