import type { Database } from 'better-sqlite3'
import type { ClassRow, DatasetRow, ImageRow } from '../catalogue/catalogue-rows'
import { classIndex } from '../catalogue/classes'
import { plucked, prepared, scalar } from '../db/statements'
import type { LabelRow } from '../labels/label-rows'
import { CsvFile, TEXT_CELL_NOTE, writeSidecar, type CsvCell } from './csv-file'
import { inDatasets } from './dataset-filter'
import { LABEL_COLUMN_NOTES, labelColumns, type KnownLabel, type LabelLayout } from './label-columns'
import { frameNumberOf, isFrameDataset } from './sequence-frames'
import { FACE_COLUMNS, FACE_COLUMNS_NOTE, FACE_FIELDS_SQL, faceCells, type FaceFields } from './face-columns'
import {
  OPENFACE_COLUMN_NOTES,
  OPENFACE_FRAME_COLUMNS,
  OPENFACE_STILL_COLUMNS,
  openFaceFrameCells,
  openFaceStillCells,
} from './openface-layout'

export interface LabelsExport {
  file: string
  sidecar: string
  rows: number
  columns: string[]
}

const CHUNK = 2000

type ImageLine = Pick<ImageRow, 'id' | 'path' | 'split' | 'review_status' | 'frame' | 'frame_time'> &
  FaceFields & {
    dataset: DatasetRow['name']
    format: DatasetRow['format']
    options: DatasetRow['options']
  }

/**
 * The columns that say which image (and, in the OpenFace layout, which frame and face) a row is.
 * OpenFace writes `frame, face_id, timestamp, confidence, success` for a video and `face, confidence`
 * for an image (RecorderCSV); people's labels have no detection confidence, so those cells are empty.
 */
function imageColumns(layout: LabelLayout, frames: boolean): { header: string[]; cells: (i: ImageLine) => CsvCell[] } {
  const id = (i: ImageLine): CsvCell[] => [i.id, i.path, i.dataset, i.split]
  if (layout === 'workbench')
    return {
      header: ['image_id', 'path', 'dataset', 'split', 'review_status', ...FACE_COLUMNS],
      cells: (i) => [...id(i), i.review_status, ...faceCells(i)],
    }
  const header = ['image_id', 'path', 'dataset', 'split']
  if (!frames)
    return { header: [...header, ...OPENFACE_STILL_COLUMNS], cells: (i) => [...id(i), ...openFaceStillCells()] }
  return {
    header: [...header, ...OPENFACE_FRAME_COLUMNS],
    // A frame the video import decoded knows its number and time; an extracted frame has its number in its file name.
    cells: (i) => [
      ...id(i),
      ...openFaceFrameCells(i.frame ?? frameNumberOf(i.format, i.options, i.path), i.frame_time, i),
    ],
  }
}

/**
 * Writes the catalogue's labels as CSV: one row per image and the label columns of `columns`
 * (label-columns.ts: the workbench's codes with `<AU>_r` intensities, or OpenFace's names), unknown
 * left empty; plus a sidecar JSON naming each dataset's label space, so that a reader can tell "not
 * annotated by this dataset" from "unknown here".
 */
export async function exportLabels(
  db: Database,
  file: string,
  options: {
    datasetIds?: number[]
    columns?: LabelLayout
    onProgress?: (done: number, total: number) => void
  } = {},
): Promise<LabelsExport> {
  const classes = classIndex(db)
  const ids = options.datasetIds
  const layout = options.columns ?? 'workbench'
  const filter = inDatasets('i.dataset_id', ids)
  // Columns: the classes the datasets annotate, and any other class an image carries a label for.
  const used = new Set(
    plucked<ClassRow['id']>(
      db,
      `SELECT c.id FROM classes c WHERE EXISTS (SELECT 1 FROM dataset_classes dc WHERE dc.class_id = c.id${inDatasets('dc.dataset_id', ids)})
    OR EXISTS (SELECT 1 FROM labels l JOIN images i ON i.id = l.image_id WHERE l.class_id = c.id${filter})`,
    ).all(...(ids ?? []), ...(ids ?? [])),
  )
  const columns = labelColumns(
    classes.list.filter((c) => used.has(classes.id(c.code))),
    layout,
  ).map((c) => ({ ...c, classId: classes.id(c.code) }))
  const formats = plucked<DatasetRow['format']>(
    db,
    `SELECT DISTINCT format FROM datasets d WHERE 1 = 1${inDatasets('d.id', ids)}`,
  ).all(...(ids ?? []))
  const videoFrames = scalar<number>(
    db,
    `SELECT EXISTS (SELECT 1 FROM images i WHERE i.video_id IS NOT NULL${filter})`,
    ...(ids ?? []),
  )
  const image = imageColumns(layout, formats.some(isFrameDataset) || videoFrames === 1)
  const header = [...image.header, ...columns.map((c) => c.header)]
  const total = scalar<number>(db, `SELECT count(*) FROM images i WHERE 1 = 1${filter}`, ...(ids ?? []))
  const page = prepared<ImageLine>(
    db,
    `SELECT i.id, i.path, d.name AS dataset, d.format, d.options, i.split, i.review_status, i.frame, i.frame_time, ${FACE_FIELDS_SQL} FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.id > ?${filter} ORDER BY i.id LIMIT ${CHUNK}`,
  )
  const labelsOf = prepared<Pick<LabelRow, 'image_id' | 'class_id' | 'value' | 'intensity'>>(
    db,
    'SELECT image_id, class_id, value, intensity FROM labels WHERE image_id BETWEEN ? AND ?',
  )
  const rows = await CsvFile.writeAll(file, header, async (csv) => {
    // Keyset pages: the connection is free between pages, so the UI keeps working during a long export.
    for (let last = 0; ;) {
      const images = page.all(last, ...(ids ?? []))
      if (!images.length) break
      last = images[images.length - 1].id
      const known = new Map<number, Map<number, KnownLabel>>()
      for (const r of labelsOf.all(images[0].id, last)) {
        if (!known.has(r.image_id)) known.set(r.image_id, new Map())
        known.get(r.image_id)!.set(r.class_id, { value: r.value, intensity: r.intensity })
      }
      for (const img of images) {
        const labels = known.get(img.id)
        await csv.write([...image.cells(img), ...columns.map((c) => c.cell(labels?.get(c.classId)))])
      }
      options.onProgress?.(csv.rows, total)
    }
  })
  const sidecar = file.replace(/\.csv$/i, '') + '.json'
  writeSidecar(file, sidecar, {
    kind: 'affect-workbench labels',
    layout,
    exportedAt: new Date().toISOString(),
    rows,
    textCells: TEXT_CELL_NOTE,
    columns: { ...imageColumnNotes(layout), ...LABEL_COLUMN_NOTES[layout] },
    datasets: labelSpaces(db, ids),
    classes: classes.list,
  })
  return { file, sidecar, rows, columns: header }
}

function imageColumnNotes(layout: LabelLayout): Record<string, string> {
  if (layout === 'workbench') return { review_status: 'to_review, verified or flagged', ...FACE_COLUMNS_NOTE }
  const { 'AU<nn>_r': _r, 'AU<nn>_c': _c, ...frameColumns } = OPENFACE_COLUMN_NOTES
  return frameColumns
}

function labelSpaces(db: Database, ids: number[] | undefined): { name: string; labelSpace: string[] }[] {
  const spaces = new Map<string, string[]>()
  for (const r of prepared<Pick<DatasetRow, 'name'> & { code: ClassRow['code'] | null }>(
    db,
    `SELECT d.name, c.code FROM datasets d LEFT JOIN dataset_classes dc ON dc.dataset_id = d.id LEFT JOIN classes c ON c.id = dc.class_id WHERE 1 = 1${inDatasets('d.id', ids)} ORDER BY d.name, c.position`,
  ).all(...(ids ?? []))) {
    if (!spaces.has(r.name)) spaces.set(r.name, [])
    if (r.code) spaces.get(r.name)!.push(r.code)
  }
  return [...spaces].map(([name, labelSpace]) => ({ name, labelSpace }))
}
