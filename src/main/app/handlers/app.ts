import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'
import { appInfo } from '../../workspace/workspaces'
import { chooseFolder } from '../folder-dialog'

/** app.*: what the workbench is and who is using it. */
export const appHandlers = (ctx: WorkbenchContext) =>
  ({
    'app.info': () => appInfo(ctx),
    'app.setAnnotator': ({ annotator: name }) => {
      ctx.settings.setAnnotator(name)
      return { annotator: name }
    },
    'app.chooseFolder': ({ title }) => chooseFolder(ctx, title),
  }) satisfies Partial<Handlers>
