import type { FaceMode, ImportFacesReport, ImportFormat } from '../../../shared/contract'
import type { EventBus } from '../../app/event-bus'
import { leakOf } from '../../catalogue/leakage'
import type { Workspace } from '../../workspace/workspace'
import type { ImportBatch, StepOf } from '../import-batch'
import { faceItems, type FaceItemsCall } from './face-items'
import { faceStepOf } from './face-mode'

// The import's step between reading and writing: the images read become their catalogue items
// (faces found, boxes cut, whole images kept), then each picture another dataset also holds is
// checked for leakage between splits.

export interface FacesRequest {
  format: ImportFormat
  faces?: FaceMode
  faceOptions?: FaceItemsCall['finder']
  signal?: AbortSignal
  launch?: FaceItemsCall['launch']
}

/** The step of each record's image, for the reading batch. */
export const stepsFor =
  (request: FacesRequest): StepOf =>
  (outcome) =>
    faceStepOf(request.faces ?? 'auto', request.format, outcome.record.faceBox)

/**
 * Turns the batch's images into items in place; the crops and thumbnails it writes go to `written`
 * (removed again if the import fails). Returns the faces report and the number of leaking pictures.
 */
export async function makeItems(
  ws: Workspace,
  request: FacesRequest,
  dataset: { name: string; id: number | null },
  batch: ImportBatch,
  written: string[],
  events?: EventBus,
): Promise<{ faces: ImportFacesReport; leakage: number }> {
  const { items, issues, report } = await faceItems(batch.pending, {
    cache: { cropsDir: ws.cropsDir, thumbnailsDir: ws.thumbnailsDir, written },
    mode: request.faces ?? 'auto',
    finder: request.faceOptions,
    signal: request.signal,
    launch: request.launch,
    onProgress: (done, total, file) => events?.publish('import.progress', { dataset: dataset.name, done, total, file }),
  })
  batch.pending.splice(0, batch.pending.length, ...items)
  batch.issues.push(...issues)
  const leaking = new Set<string>()
  for (const item of items) {
    if (leaking.has(item.sha256)) continue
    const other = leakOf(ws.db, dataset.id, item.sha256, item.split)
    if (!other) continue
    leaking.add(item.sha256)
    batch.issues.push({
      ...item.at,
      reason: 'leakage',
      kept: true,
      detail: `${item.face?.sourcePath ?? item.path} is in the ${item.split} split here and in the ${other.split} split of ${other.dataset} (${other.path})`,
    })
  }
  return { faces: report, leakage: leaking.size }
}
