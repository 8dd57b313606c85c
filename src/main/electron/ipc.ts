import { ipcMain, type WebContents } from 'electron'
import { IPC_EVENT, IPC_INVOKE } from '../../shared/bridge'
import type { Workbench } from '../app/assemble'

/** Electron transport: one invoke channel into the router, one event channel out of the bus. */
export function registerIpc(wb: Workbench, target: () => WebContents | null): () => void {
  ipcMain.handle(IPC_INVOKE, (_event, method: unknown, args: unknown) => wb.router.call(String(method), args))
  const unsubscribe = wb.ctx.events.subscribe((event, payload) => {
    const contents = target()
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT, event, payload)
  })
  return () => {
    ipcMain.removeHandler(IPC_INVOKE)
    unsubscribe()
  }
}
