import { WorkbenchError } from '../../shared/errors'
import type { WorkbenchContext } from './context'

// Where "choose a folder" comes from. The desktop app registers Electron's folder picker here
// (src/main/electron/folder-dialog.ts), as it does its save dialog (export/save-dialog.ts); the
// headless mode has none: there the user types a path on the machine running the workbench.

/** Asks the user for a folder; resolves to its path, or null when they cancel. */
export type FolderDialog = (request: { title: string }) => Promise<string | null>

const dialogs = new WeakMap<WorkbenchContext, FolderDialog>()

/** Lets this workbench ask the user for a folder. */
export function provideFolderDialog(ctx: WorkbenchContext, dialog: FolderDialog): void {
  dialogs.set(ctx, dialog)
}

/** The folder the user picked, or `cancelled`; a clear error where there is no folder picker. */
export async function chooseFolder(
  ctx: WorkbenchContext,
  title: string,
): Promise<{ folder: string } | { cancelled: true }> {
  const dialog = dialogs.get(ctx)
  if (!dialog)
    throw new WorkbenchError(
      'invalid_arguments',
      'Only the desktop app has a folder picker; here, type the folder’s path on the machine running the workbench.',
      { field: 'folder' },
    )
  const folder = await dialog({ title })
  return folder ? { folder } : { cancelled: true }
}
