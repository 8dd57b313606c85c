import { basename, resolve } from 'node:path'
import type { PhotoPrediction } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { WorkbenchContext } from '../app/context'
import { createExport } from '../export/exports-service'
import { importDataset } from '../import/import-dataset'
import { predictRun } from './predict-job'
import { runRow } from './run-rows'
import { waitForTrainer } from './runs-service'

// What a psychologist with a folder of study photos wants, in one go: the faces of the photos not
// in the catalogue yet found and imported as a dataset (every label unknown), predicted with a
// run's best checkpoint, and the predictions written as CSV with the face columns. The CLI
// (`affect predict --photos`) and the UI (Runs view, "Predict photos...") both call this.
// Stop: while faces are searched the import ends with nothing added; while the faces are predicted
// the trainer stops between batches, and the imported faces stay in the catalogue.

export interface PhotoPredictionRequest {
  runId: number
  folder: string
  /** The dataset the photos become (default `photos-<folder name>`); an existing one gains the new photos only. */
  name?: string
  minConfidence?: number
  /** Aborted: the job stops (runs.stopPredictPhotos). */
  signal?: AbortSignal
}

/** The job was stopped after its faces were imported: they stay, with the predictions made so far. */
function stoppedAfterImport(dataset: string, predicted: number): WorkbenchError {
  const made = predicted ? `the predictions of ${predicted} of them are stored` : 'none was predicted'
  return new WorkbenchError(
    'training_failed',
    `The prediction of the photos was stopped: their faces are in the catalogue as dataset ${dataset}, ${made}; no CSV was written.`,
    { reason: 'stopped', dataset, predicted },
  )
}

/** Imports a folder's faces, predicts them with run `runId`, exports the CSV. */
export async function predictPhotos(ctx: WorkbenchContext, request: PhotoPredictionRequest): Promise<PhotoPrediction> {
  const ws = ctx.requireWorkspace()
  runRow(ws.db, request.runId) // a run that does not exist is refused before any photo is read
  const name = request.name ?? `photos-${basename(resolve(request.folder))}`
  const imported = await importDataset(
    ws,
    {
      format: 'folder',
      path: request.folder,
      name,
      faces: 'detect',
      faceOptions: request.minConfidence === undefined ? {} : { minConfidence: request.minConfidence },
      launch: ctx.faceFinderLauncher,
      signal: request.signal,
    },
    ctx.events,
  )
  if (imported.datasetId === null || imported.imported + imported.alreadyImported === 0)
    throw new WorkbenchError(
      'invalid_arguments',
      `No face was found in the photos of ${imported.root}: nothing to predict.`,
      { field: 'folder', folder: imported.root, issues: imported.issues.slice(0, 20) },
    )
  if (request.signal?.aborted) throw stoppedAfterImport(name, 0)
  await predictRun(ctx, request.runId, [imported.datasetId])
  const trainer = ctx.trainers.get(request.runId)
  const stop = () => trainer?.process.send({ type: 'stop' })
  request.signal?.addEventListener('abort', stop, { once: true })
  if (request.signal?.aborted) stop() // asked while the prediction was being set up
  try {
    await waitForTrainer(ctx, request.runId)
  } finally {
    request.signal?.removeEventListener('abort', stop)
  }
  const job = trainer?.recorder
  if (job?.stopped) throw stoppedAfterImport(name, job.predictedImages)
  if (job?.failure)
    throw new WorkbenchError('training_failed', `The prediction of ${name} failed: ${job.failure}`, {
      runId: request.runId,
    })
  const exported = await createExport(ctx, {
    kind: 'predictions',
    runId: request.runId,
    datasets: [name],
    threshold: 0.5,
    columns: 'workbench',
    saveAs: false,
  })
  if ('cancelled' in exported) throw new Error('an export without a save dialog cannot be cancelled')
  return { import: imported, predicted: job?.predictedImages ?? 0, export: exported }
}
