import { FORMATS, FORMAT_NAMES } from '../../import/formats'
import { importDataset } from '../../import/import-dataset'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** import.*: the dataset formats, importing one, and stopping the import in progress. */
export const importHandlers = (ctx: WorkbenchContext) => {
  /** The imports in progress (an import is one transaction; several may wait for the write lock). */
  const running = new Set<AbortController>()
  return {
    'import.formats': () => FORMAT_NAMES.map((format) => ({ format, describe: FORMATS[format].describe })),
    'import.run': async ({ format, path, name, options, split, faces, faceOptions }) => {
      const stop = new AbortController()
      running.add(stop)
      try {
        const report = await importDataset(
          ctx.requireWorkspace(),
          {
            format,
            path,
            name,
            options,
            split,
            faces,
            faceOptions,
            signal: stop.signal,
            launch: ctx.faceFinderLauncher,
          },
          ctx.events,
        )
        ctx.events.publish('workspace.changed', { workspace: ctx.requireWorkspace().info() })
        return report
      } finally {
        running.delete(stop)
      }
    },
    'import.stop': () => {
      for (const stop of running) stop.abort()
      return { stopped: running.size > 0 }
    },
  } satisfies Partial<Handlers>
}
