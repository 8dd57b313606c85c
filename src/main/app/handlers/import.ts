import { FORMATS, FORMAT_NAMES } from '../../import/formats'
import { importDataset } from '../../import/import-dataset'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** import.*: the dataset formats, and importing one. */
export const importHandlers = (ctx: WorkbenchContext) =>
  ({
    'import.formats': () => FORMAT_NAMES.map((format) => ({ format, describe: FORMATS[format].describe })),
    'import.run': async ({ format, path, name, options, split }) => {
      const report = await importDataset(ctx.requireWorkspace(), { format, path, name, options, split }, ctx.events)
      ctx.events.publish('workspace.changed', { workspace: ctx.requireWorkspace().info() })
      return report
    },
  }) satisfies Partial<Handlers>
