import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'
import { appHandlers } from './app'
import { catalogueHandlers } from './catalogue'
import { experimentsHandlers } from './experiments'
import { coderHandlers } from './coders'
import { exportHandlers } from './export'
import { faceHandlers } from './faces'
import { importHandlers } from './import'
import { insightsHandlers } from './insights'
import { labelsHandlers } from './labels'
import { runsHandlers } from './runs'
import { videoHandlers } from './video'
import { workspaceHandlers } from './workspace'

/** Every method of the contract, bound to the services: the route table is the union of the areas' handlers. */
export function createHandlers(ctx: WorkbenchContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...workspaceHandlers(ctx),
    ...catalogueHandlers(ctx),
    ...labelsHandlers(ctx),
    ...importHandlers(ctx),
    ...runsHandlers(ctx),
    ...exportHandlers(ctx),
    ...insightsHandlers(ctx),
    ...videoHandlers(ctx),
    ...experimentsHandlers(ctx),
    ...coderHandlers(ctx),
    ...faceHandlers(ctx),
  }
}
