import type { Database } from 'better-sqlite3'
import type { ClassRow, DatasetRow, ImageRow } from '../catalogue/catalogue-rows'
import { classIndex } from '../catalogue/classes'
import { plucked, prepared, scalar } from '../db/statements'
import type { LabelRow } from '../labels/label-rows'
import { CsvFile, TEXT_CELL_NOTE, writeSidecar } from './csv-file'
import { inDatasets } from './dataset-filter'
import { FACE_COLUMNS, FACE_COLUMNS_NOTE, FACE_FIELDS_SQL, faceCells, type FaceFields } from './face-columns'

export interface LabelsExport {
  file: string
  sidecar: string
  rows: number
  columns: string[]
}

const CHUNK = 2000

/**
 * Writes the catalogue's labels as CSV: one row per image (id, path, dataset, split, review status)
 * and a column per class the datasets annotate (or any image carries) holding 1 (present), 0 (absent) or nothing
 * (unknown: the image carries no label for that class); plus a sidecar JSON naming each dataset's
 * label space, so that a reader can tell "not annotated by this dataset" from "unknown here".
 */
export async function exportLabels(
  db: Database,
  file: string,
  options: { datasetIds?: number[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<LabelsExport> {
  const classes = classIndex(db)
  const ids = options.datasetIds
  const filter = inDatasets('i.dataset_id', ids)
  // Columns: the classes the datasets annotate, and any other class an image carries a label for.
  const used = new Set(
    plucked<ClassRow['id']>(
      db,
      `SELECT c.id FROM classes c WHERE EXISTS (SELECT 1 FROM dataset_classes dc WHERE dc.class_id = c.id${inDatasets('dc.dataset_id', ids)})
    OR EXISTS (SELECT 1 FROM labels l JOIN images i ON i.id = l.image_id WHERE l.class_id = c.id${filter})`,
    ).all(...(ids ?? []), ...(ids ?? [])),
  )
  const codes = classes.list.map((c) => c.code).filter((code) => used.has(classes.id(code)))
  const column = new Map(codes.map((code, i) => [classes.id(code), i]))
  const header = ['image_id', 'path', 'dataset', 'split', 'review_status', ...FACE_COLUMNS, ...codes]
  const total = scalar<number>(db, `SELECT count(*) FROM images i WHERE 1 = 1${filter}`, ...(ids ?? []))
  const page = prepared<
    Pick<ImageRow, 'id' | 'path' | 'split' | 'review_status'> & FaceFields & { dataset: DatasetRow['name'] }
  >(
    db,
    `SELECT i.id, i.path, d.name AS dataset, i.split, i.review_status, ${FACE_FIELDS_SQL} FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.id > ?${filter} ORDER BY i.id LIMIT ${CHUNK}`,
  )
  const rows = await CsvFile.writeAll(file, header, async (csv) => {
    // Keyset pages: the connection is free between pages, so the UI keeps working during a long export.
    for (let last = 0; ;) {
      const images = page.all(last, ...(ids ?? []))
      if (!images.length) break
      last = images[images.length - 1].id
      const values = new Map<number, (number | null)[]>()
      for (const r of prepared<Pick<LabelRow, 'image_id' | 'class_id' | 'value'>>(
        db,
        `SELECT image_id, class_id, value FROM labels WHERE image_id BETWEEN ? AND ?`,
      ).all(images[0].id, last)) {
        const c = column.get(r.class_id)
        if (c === undefined) continue
        if (!values.has(r.image_id)) values.set(r.image_id, new Array(codes.length).fill(null))
        values.get(r.image_id)![c] = r.value
      }
      for (const img of images) {
        const known = values.get(img.id)
        await csv.write([
          img.id,
          img.path,
          img.dataset,
          img.split,
          img.review_status,
          ...faceCells(img),
          ...codes.map((_, c) => known?.[c] ?? ''),
        ])
      }
      options.onProgress?.(csv.rows, total)
    }
  })
  const sidecar = file.replace(/\.csv$/i, '') + '.json'
  const spaces = new Map<string, string[]>()
  for (const r of prepared<Pick<DatasetRow, 'name'> & { code: ClassRow['code'] | null }>(
    db,
    `SELECT d.name, c.code FROM datasets d LEFT JOIN dataset_classes dc ON dc.dataset_id = d.id LEFT JOIN classes c ON c.id = dc.class_id WHERE 1 = 1${inDatasets('d.id', ids)} ORDER BY d.name, c.position`,
  ).all(...(ids ?? []))) {
    if (!spaces.has(r.name)) spaces.set(r.name, [])
    if (r.code) spaces.get(r.name)!.push(r.code)
  }
  writeSidecar(file, sidecar, {
    kind: 'affect-workbench labels',
    exportedAt: new Date().toISOString(),
    rows,
    textCells: TEXT_CELL_NOTE,
    columns: {
      '<code>': '1 present, 0 absent, empty unknown (no label for this class on this image)',
      review_status: 'to_review, verified or flagged',
      ...FACE_COLUMNS_NOTE,
    },
    datasets: [...spaces].map(([name, labelSpace]) => ({ name, labelSpace })),
    classes: classes.list,
  })
  return { file, sidecar, rows, columns: header }
}
