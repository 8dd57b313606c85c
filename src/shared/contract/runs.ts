import type { ImportReport } from './imports'
import type { ExportResult } from './exports'
import { z } from 'zod'
import type { EvaluationCoverage } from '../metrics/coverage'
import type { Evaluation } from '../metrics/evaluate'
import { BACKENDS, RunConfigSchema } from '../run-config'
import type { BackendName, BackendStatus } from './app'
import { method } from './define'

export const RUN_STATUSES = ['starting', 'running', 'stopping', 'stopped', 'finished', 'failed'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export interface RunSummary {
  id: number
  name: string
  method: string
  network: string
  datasets: string[]
  status: RunStatus
  /** Why a run failed or stopped, in words. */
  statusReason: string | null
  backend: BackendName | null
  step: number
  totalSteps: number
  trainImages: number
  valImages: number
  imagesPerSecond: number | null
  bestScore: number | null
  createdAt: string
  endedAt: string | null
  seconds: number
  /** Latest validation values by metric name. */
  latest: Record<string, number | null>
  hasPredictions: boolean
}

export interface MetricSeries {
  split: string
  name: string
  points: [step: number, value: number | null][]
}

export interface RunDetail extends RunSummary {
  config: z.output<typeof RunConfigSchema>
  backends: BackendStatus[]
  snapshotHash: string
  checkpoints: { step: number; path: string; best: boolean; score: number | null; at: string }[]
  metrics: MetricSeries[]
  initFrom: number | null
}

export interface RunEvaluation extends Evaluation {
  runId: number
  split: string
  checkpoint: string
  /** How many images of the split were scored, and how many have no prediction from the run (describeCoverage says it in words). */
  coverage: EvaluationCoverage
  /** On generated (demo) data: AU scores on emotion-only images against the generator's hidden truth. */
  hiddenTruth: {
    images: number
    auF1Mean: number | null
    auAccuracyMean: number | null
    perAu: { code: string; f1: number | null; accuracy: number | null; baseRate: number | null }[]
  } | null
}

const runId = z.object({ id: z.number().int().positive() }).strict()

export const runMethods = {
  'runs.start': method<RunSummary>()(
    z.object({ config: RunConfigSchema.optional(), name: z.string().trim().max(120).optional() }).strict(),
    'Start a training run in a trainer process.',
  ),
  'runs.stop': method<RunSummary>()(runId, 'Ask a running run to checkpoint and stop.'),
  'runs.resume': method<RunSummary>()(
    z.object({ id: z.number().int().positive(), backend: z.enum(BACKENDS).optional() }).strict(),
    'Resume a stopped or failed run from its last checkpoint, on its own backend or another one (checkpoints are the same on every backend).',
  ),
  'runs.list': method<RunSummary[]>()(z.object({}).strict(), 'Every run of the workspace, newest first.'),
  'runs.get': method<RunDetail>()(runId, 'One run with its config, checkpoints and metric curves.'),
  'runs.evaluate': method<RunEvaluation>()(
    z
      .object({
        id: z.number().int().positive(),
        split: z.enum(['train', 'val', 'test']).default('test'),
        datasets: z.array(z.string().min(1)).optional(),
      })
      .strict(),
    "Scores a run's stored predictions on a split (of its datasets and any other it predicted, or of the given ones): per-class accuracy, F1, confusion, AUs by emotion, and how many images of the split it scored.",
  ),
  'runs.predict': method<RunSummary>()(
    z.object({ id: z.number().int().positive(), datasetIds: z.array(z.number().int().positive()).optional() }).strict(),
    "Predict every image of the run's datasets (or the given ones) with its best checkpoint: the images' predictions are added or replaced, the others kept; the run's status never changes (how the job went is in its messages).",
  ),
  'runs.predictPhotos': method<PhotoPrediction>()(
    z
      .object({
        id: z.number().int().positive(),
        folder: z.string().min(1, 'Give the folder of photos'),
        name: z.string().trim().min(1).max(120).optional(),
        minConfidence: z.number().min(0.05).max(0.99).optional(),
      })
      .strict(),
    "Find the faces in a folder's photos not in the catalogue yet, import them as a dataset (labels unknown), predict them with the run's best checkpoint and export the predictions CSV, in one go; progress as import.progress, then run.predicting.",
  ),
  'runs.stopPredictPhotos': method<{ stopped: boolean }>()(
    runId,
    "Stop the run's photo prediction: while faces are searched nothing is added; while they are predicted the imported faces stay.",
  ),
} as const

/** What runs.predictPhotos did: the import of the photos' faces, the faces predicted, the CSV written. */
export interface PhotoPrediction {
  import: ImportReport
  predicted: number
  export: ExportResult
}
