import type { Database } from 'better-sqlite3'
import { join } from 'node:path'
import { WorkbenchError } from '../../shared/errors'
import type { RunConfig } from '../../shared/run-config'
import type { DatasetRow, ImageRow } from '../catalogue/catalogue-rows'
import { classIndex } from '../catalogue/classes'
import { listDatasets } from '../catalogue/datasets'
import { cropPath, thumbnailPath } from '../catalogue/media'
import type { LabelRow } from '../labels/label-rows'
import { limitPerClass } from '../trainer/data/per-class-limit'
import { makeSnapshot, type SnapshotImage, type TrainingSnapshot } from '../trainer/data/snapshot'
import { fromStoredPath, toStoredPath, workspaceOfCatalogue } from '../workspace/stored-paths'
import { FACE_COLUMNS, LandmarkTargets, type FaceOfImage } from './landmark-targets'

/**
 * Freezes the training set of a run from the catalogue: the chosen datasets' images (all splits),
 * the union of their label spaces, and the label and mask matrices as they are now; with a per-class
 * limit, only the training images the seed chooses for it.
 */
export function buildSnapshot(
  db: Database,
  config: Pick<RunConfig, 'datasets'> & Partial<Pick<RunConfig, 'landmarks' | 'perClassLimit' | 'seed'>>,
  /** classCodes: classes to lay the snapshot out over besides the datasets' own (a run's, to predict unlabelled photos). */
  options: { datasetIds?: number[]; classCodes?: readonly string[] } = {},
): TrainingSnapshot {
  const classes = classIndex(db)
  const all = listDatasets(db)
  let chosen = all
  if (options.datasetIds?.length) chosen = all.filter((d) => options.datasetIds!.includes(d.id))
  else if (config.datasets.length) {
    const missing = config.datasets.filter((name) => !all.some((d) => d.name === name))
    if (missing.length)
      throw new WorkbenchError(
        'invalid_arguments',
        `No dataset named ${missing.map((m) => `"${m}"`).join(', ')} in this workspace (datasets: ${all.map((d) => d.name).join(', ') || 'none'}).`,
        { field: 'datasets', missing },
      )
    chosen = config.datasets.map((name) => all.find((d) => d.name === name)!)
  }
  chosen = chosen.filter((d) => d.images > 0)
  if (!chosen.length)
    throw new WorkbenchError(
      'invalid_arguments',
      'There are no images to train on: import a dataset or create the demo workspace first.',
      { field: 'datasets' },
    )

  const order = new Map(classes.list.map((c, i) => [c.code, i]))
  const codes = [...new Set([...chosen.flatMap((d) => d.classCodes), ...(options.classCodes ?? [])])].sort(
    (a, b) => order.get(a)! - order.get(b)!,
  )
  const column = new Map(codes.map((c, i) => [classes.id(c), i]))
  const n = codes.length

  // Image paths as the catalogue stores them: relative to the workspace when inside it, so that the
  // snapshot (and its hash) stays valid when the workspace moves; the trainer is told where it is.
  const workspace = workspaceOfCatalogue(db)
  const images: SnapshotImage[] = []
  const rowOf = new Map<number, number>()
  // A face is trained on from its aligned crop, never from the photo it was cut from; a video frame
  // (no file of its own) from the 128 px copy the import wrote to the thumbnail cache (inputs are
  // 32-128 px); a whole image (a dataset of crops) from its file. What a coder marked "not a face"
  // is left out.
  type Source = Pick<ImageRow, 'id' | 'split' | 'path' | 'sha256' | 'video_id' | 'crop_sha256'> &
    FaceOfImage &
    Pick<DatasetRow, 'root'>
  const select = db.prepare<[number], Source>(
    `SELECT i.id, i.split, i.path, i.sha256, i.video_id, i.crop_sha256, d.root, ${FACE_COLUMNS}
     FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.dataset_id = ? AND i.not_a_face = 0 ORDER BY i.id`,
  )
  const landmarks = config.landmarks ? new LandmarkTargets() : null
  const crops = join(workspace, 'crops')
  const fileOf = (r: Source): string =>
    r.crop_sha256
      ? cropPath(crops, r.crop_sha256)
      : r.video_id !== null
        ? thumbnailPath(join(workspace, 'thumbnails'), r.sha256)
        : join(fromStoredPath(workspace, r.root), r.path)
  chosen.forEach((d, datasetIndex) => {
    for (const r of select.iterate(d.id)) {
      rowOf.set(r.id, images.length)
      images.push({ id: r.id, datasetIndex, split: r.split, path: toStoredPath(workspace, fileOf(r)) })
      landmarks?.add(r)
    }
  })
  const labels = new Uint8Array(images.length * n)
  const mask = new Uint8Array(images.length * n)
  const labelRows = db.prepare<[number], Pick<LabelRow, 'image_id' | 'class_id' | 'value'>>(
    'SELECT l.image_id, l.class_id, l.value FROM labels l JOIN images i ON i.id = l.image_id WHERE i.dataset_id = ?',
  )
  for (const d of chosen) {
    for (const r of labelRows.iterate(d.id)) {
      const row = rowOf.get(r.image_id)
      if (row === undefined) continue // not a face
      const col = column.get(r.class_id)
      if (col === undefined) continue // a label outside every chosen label space (added by hand): not trained on
      const at = row * n + col
      labels[at] = r.value
      mask[at] = 1
    }
  }
  const content = {
    classes: codes.map((code) => ({ code, kind: classes.list[order.get(code)!].kind })),
    datasets: chosen.map((d) => ({ name: d.name, classCodes: d.classCodes })),
    images,
    labels,
    mask,
    ...(landmarks ? { landmarks: landmarks.finish(chosen.map((d) => d.name)) } : {}),
  }
  return makeSnapshot(config.perClassLimit ? limitPerClass(content, config.perClassLimit, config.seed ?? 1) : content)
}
