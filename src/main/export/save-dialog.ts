import type { WorkbenchContext } from '../app/context'

// Where "Save as..." comes from. The desktop app registers Electron's save dialog here
// (src/main/electron/save-dialog.ts); the CLI and the headless mode have none, so their exports go
// to the workspace's exports folder (the browser downloads them from there).

/** Asks the user where to write a file; resolves to the chosen path, or null when they cancel. */
export type SaveDialog = (request: { suggestedName: string; title: string }) => Promise<string | null>

const dialogs = new WeakMap<WorkbenchContext, SaveDialog>()

/** Lets exports of this workbench ask the user where to save. */
export function provideSaveDialog(ctx: WorkbenchContext, dialog: SaveDialog): void {
  dialogs.set(ctx, dialog)
}

export const saveDialogOf = (ctx: WorkbenchContext): SaveDialog | null => dialogs.get(ctx) ?? null
