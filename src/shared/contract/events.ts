import type { WorkspaceInfo } from './app'

// Every event the UI may receive. Main publishes them on its event bus; each transport forwards them
// (Electron: one IPC channel; headless: one WebSocket).
export interface WorkbenchEvents {
  'workspace.changed': { workspace: WorkspaceInfo | null }
  'labels.changed': { editId: number | null; imageIds: number[] }
  'import.progress': { dataset: string; done: number; total: number | null; file: string }
  'demo.progress': { phase: 'drawing' | 'importing'; done: number; total: number }
}

export type EventName = keyof WorkbenchEvents
export type EventPayload<E extends EventName> = WorkbenchEvents[E]
