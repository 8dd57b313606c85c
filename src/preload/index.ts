import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT, IPC_INVOKE, type WorkbenchBridge } from '../shared/bridge'

// The renderer gets exactly this object: one call and one subscription, never ipcRenderer itself.
const api: WorkbenchBridge = {
  invoke: (method, args) => ipcRenderer.invoke(IPC_INVOKE, method, args),
  on: (event, callback) => {
    const listener = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) callback(payload as never)
    }
    ipcRenderer.on(IPC_EVENT, listener)
    return () => ipcRenderer.off(IPC_EVENT, listener)
  },
}

contextBridge.exposeInMainWorld('api', api)
