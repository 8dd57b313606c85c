import type { MetricsMessage, ProgressMessage } from '../trainer-protocol'
import type { WorkspaceInfo } from './app'
import type { ExperimentSummary } from './experiments'
import type { ExportKind } from './exports'
import type { RunSummary } from './runs'

// Every event the UI may receive. Main publishes them on its event bus; each transport forwards them
// (Electron: one IPC channel; headless: one WebSocket).
export interface WorkbenchEvents {
  'workspace.changed': { workspace: WorkspaceInfo | null }
  'labels.changed': { editId: number | null; imageIds: number[] }
  'import.progress': { dataset: string; done: number; total: number | null; file: string }
  'run.progress': Omit<ProgressMessage, 'type'> & { runId: number }
  'run.metrics': Omit<MetricsMessage, 'type'> & { runId: number }
  /** A run changed status (started, stopped, finished, failed) or its summary changed. */
  'run.updated': { run: RunSummary }
  'run.log': { runId: number; level: 'info' | 'warn' | 'error'; message: string }
  /** Images a run has predicted so far in its prediction job (or at the end of its training). */
  'run.predicting': { runId: number; done: number; total: number }
  'demo.progress': { phase: 'drawing' | 'importing'; done: number; total: number }
  /** Rows written by exports.create so far (total null while unknown). */
  'export.progress': { exportId: string; kind: ExportKind; done: number; total: number | null }
  /** An experiment started, finished a run, stopped, failed or finished. */
  'experiment.updated': { experiment: ExperimentSummary }
  /** One run of an experiment done (trained and scored on validation), with the time it took. */
  'experiment.run': {
    experimentId: number
    runId: number
    role: string
    budget: number
    seed: number
    learningRate: number
    search: boolean
    seconds: number
    index: number
    total: number
  }
}

export type EventName = keyof WorkbenchEvents
export type EventPayload<E extends EventName> = WorkbenchEvents[E]
