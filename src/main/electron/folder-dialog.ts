import { app, dialog, type BrowserWindow } from 'electron'
import { provideFolderDialog } from '../app/folder-dialog'
import type { Workbench } from '../app/assemble'

/** app.chooseFolder opens the system's folder picker over the workbench window, in the Pictures folder. */
export function registerFolderDialog(wb: Workbench, window: () => BrowserWindow | null): void {
  provideFolderDialog(wb.ctx, async ({ title }) => {
    const options = {
      title,
      defaultPath: app.getPath('pictures'),
      properties: ['openDirectory' as const],
    }
    const parent = window()
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
    return result.canceled || !result.filePaths[0] ? null : result.filePaths[0]
  })
}
