import { createExport, listExports } from '../../export/exports-service'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** exports.*: CSV exports of predictions, labels and the label edit log. */
export const exportHandlers = (ctx: WorkbenchContext) =>
  ({
    'exports.create': (request) => createExport(ctx, request),
    'exports.list': () => listExports(ctx.requireWorkspace()),
  }) satisfies Partial<Handlers>
