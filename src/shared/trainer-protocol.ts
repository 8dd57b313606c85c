import type { BackendStatus, BackendName } from './contract/app'
import type { RunConfig } from './run-config'

// The typed messages between main and the trainer process (child_process.fork in Node,
// utilityProcess.fork in Electron). The trainer never writes the catalogue: it reads the frozen
// snapshot main wrote, and main persists whatever the trainer reports.

/** Where the trainer reads a snapshot's images (trainer/data/image-paths.ts). */
export interface SnapshotFolders {
  /** The workspace's folder now: the snapshot's relative image paths are inside it. */
  workspace?: string
  /** The workspace's folder when the snapshot was written, for snapshots of version 0.1.0 whose image paths are absolute. */
  snapshotWorkspace?: string
}

/** Main -> trainer. The first message is `train` or `predict`; `stop` may follow. */
export type TrainerCommand =
  | (SnapshotFolders & {
      type: 'train'
      runId: number
      /** Folder of this run: checkpoints and logs go here. */
      runDir: string
      /** Base path of the snapshot files (trainer/data/snapshot.ts writeSnapshot/readSnapshot). */
      snapshot: string
      config: RunConfig
      /** Continue this run from its own checkpoint (weights, optimiser, step, RNG position). */
      resumeFrom?: string
      /** Initialise weights from another run's checkpoint (the paper pre-trains on FER2013). */
      initFrom?: string
      /** Folder where decoded image caches may be kept across runs. */
      cacheDir: string
      /** Predict every image of the snapshot with the best checkpoint when training ends. */
      predictAfter: boolean
    })
  | (SnapshotFolders & {
      type: 'predict'
      runId: number
      runDir: string
      snapshot: string
      checkpoint: string
      cacheDir: string
      backend: RunConfig['backend']
      /** CPU threads to predict on (data-parallel workers on wasm); absent = every core. */
      threads?: number
    })
  /** Finish the current step, write a checkpoint, report `stopped`, exit. */
  | { type: 'stop' }
  /**
   * Load one backend as a run would, report `probed`, exit. Main probes each backend in its own
   * process: loading libtensorflow or a GPU driver may crash, and must not take main down.
   */
  | { type: 'probe'; backend: BackendName }

export interface ProgressMessage {
  type: 'progress'
  step: number
  totalSteps: number
  epoch: number
  imagesPerSecond: number
  etaSeconds: number
  learningRate: number
  loss: number
  /** Loss of each head (multitask: per dataset; sjmt: 'union'). */
  lossByHead: Record<string, number>
}

/** Validation summary; `values` holds scalar metrics by name (emotionAccuracy, auF1Mean, meanPerClassAccuracy, macroF1, loss...). */
export interface MetricsMessage {
  type: 'metrics'
  step: number
  split: 'val' | 'test' | 'train'
  values: Record<string, number | null>
}

/** Trainer -> main. */
export type TrainerMessage =
  | {
      type: 'started'
      backend: BackendName
      backends: BackendStatus[]
      totalSteps: number
      step: number
      trainImages: number
      valImages: number
    }
  | ProgressMessage
  | MetricsMessage
  | { type: 'checkpoint'; step: number; path: string; best: boolean; score: number | null }
  /** A batch of predicted probabilities: imageIds.length x classCodes.length, row-major; NaN where no head predicts a class. */
  | {
      type: 'predictions'
      checkpoint: string
      classCodes: string[]
      imageIds: number[]
      probabilities: number[]
      done: number
      total: number
    }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'finished'; step: number; checkpoint: string; bestScore: number | null; seconds: number }
  | { type: 'stopped'; step: number; checkpoint: string }
  /** The reason is for the user, in words they can act on. */
  | { type: 'failed'; reason: string; detail?: string }
  /** The answer to `probe`: whether the backend loads in a trainer process here, and why not. */
  | { type: 'probed'; status: BackendStatus }
