// The desktop app's main process: Electron lifecycle, window, IPC and the image protocol. Everything
// else (services, router, catalogue) is shared with the CLI and headless mode.
import { app, BrowserWindow, dialog } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { WorkbenchError } from '../shared/errors'
import { useNativeBinding } from './db/open'
import { registerIpc } from './electron/ipc'
import { handleMediaProtocol, registerMediaScheme } from './electron/media-protocol'
import { registerFolderDialog } from './electron/folder-dialog'
import { registerSaveDialog } from './electron/save-dialog'
import { electronTrainerLauncher, electronFaceFinderLauncher } from './electron/trainer-launcher'
import { createMainWindow } from './electron/window'
import { Settings } from './app/settings'
import { createWorkbench } from './app/assemble'
import { Workspace } from './workspace/workspace'

registerMediaScheme()

/** better-sqlite3 built for Electron's Node ABI by `npm start` (scripts/electron-native.mjs). */
function electronSqliteBinding(): string | undefined {
  const file = join(app.getAppPath(), 'build', 'electron-native', 'better_sqlite3.node')
  return existsSync(file) ? file : undefined
}

app.whenReady().then(() => {
  useNativeBinding(electronSqliteBinding())
  const wb = createWorkbench({
    transport: 'electron',
    settings: Settings.inDir(app.getPath('userData')),
    launchTrainer: electronTrainerLauncher,
    launchFaceFinder: electronFaceFinderLauncher,
  })
  // `npm run demo` opens the app on its workspace; otherwise the one used last.
  const last = [process.env.AFFECT_WORKSPACE, ...wb.ctx.settings.recentWorkspaces].find(
    (p): p is string => !!p && Workspace.isWorkspace(p),
  )
  if (last) {
    try {
      wb.ctx.openWorkspace(last)
    } catch (e) {
      console.error(`Could not reopen ${last}: ${(e as Error).message}`)
      // Another workbench serves it: say which one, rather than open on an empty window silently.
      if (e instanceof WorkbenchError && e.code === 'conflict') dialog.showErrorBox('Workspace already open', e.message)
    }
  }
  let window: BrowserWindow | null = createMainWindow()
  window.on('closed', () => (window = null))
  registerIpc(wb, () => window?.webContents ?? null)
  handleMediaProtocol(wb)
  registerSaveDialog(wb, () => window)
  registerFolderDialog(wb, () => window)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      window = createMainWindow()
      window.on('closed', () => (window = null))
    }
  })
  app.on('before-quit', () => wb.close())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
