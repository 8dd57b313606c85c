import { createWorkbench, type Workbench } from '../app/assemble'

/** Runs a CLI command against a workbench on the given workspace and always closes it. */
export async function withWorkspace<T>(
  options: { workspace?: string; create?: boolean },
  run: (wb: Workbench) => Promise<T>,
): Promise<T> {
  const wb = createWorkbench({ transport: 'cli', workspace: options.workspace, createWorkspace: options.create })
  try {
    return await run(wb)
  } finally {
    wb.close()
  }
}
