import { app, dialog, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { provideSaveDialog } from '../export/save-dialog'
import type { Workbench } from '../app/assemble'

/** exports.create with saveAs opens the system's save dialog over the workbench window, in the Documents folder. */
export function registerSaveDialog(wb: Workbench, window: () => BrowserWindow | null): void {
  provideSaveDialog(wb.ctx, async ({ suggestedName, title }) => {
    const options = {
      title,
      defaultPath: join(app.getPath('documents'), suggestedName),
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    }
    const parent = window()
    const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
    return result.canceled || !result.filePath ? null : result.filePath
  })
}
