import type { Database } from 'better-sqlite3'
import { isoTime } from '../catalogue/time'
import type { ClassRow, DatasetRow, ImageRow } from '../catalogue/catalogue-rows'
import { prepared, scalar } from '../db/statements'
import type { LabelEventRow } from '../labels/label-rows'
import { CsvFile } from './csv-file'
import { inDatasets } from './dataset-filter'

export interface LabelEditsExport {
  file: string
  rows: number
  columns: string[]
}

const CHUNK = 5000

export const LABEL_EDIT_COLUMNS = [
  'event_id',
  'edit_id',
  'at',
  'who',
  'image_id',
  'dataset',
  'path',
  'class',
  'old_value',
  'new_value',
  'old_intensity',
  'new_intensity',
  'reason',
  'undoes_edit',
]

/**
 * Writes the label edit log as CSV, oldest first: one row per changed label with the edit (one user
 * action) it belongs to, when, who, why, and the value before and after (1 present, 0 absent, empty
 * unknown). `undoes_edit` names the edit an undo reverted.
 */
export async function exportLabelEdits(
  db: Database,
  file: string,
  options: { datasetIds?: number[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<LabelEditsExport> {
  const ids = options.datasetIds
  const filter = inDatasets('i.dataset_id', ids)
  const from =
    'FROM label_events e JOIN images i ON i.id = e.image_id JOIN datasets d ON d.id = i.dataset_id JOIN classes c ON c.id = e.class_id'
  const total = scalar<number>(db, `SELECT count(*) ${from} WHERE 1 = 1${filter}`, ...(ids ?? []))
  const page = prepared<
    Omit<LabelEventRow, 'class_id'> & { dataset: DatasetRow['name']; path: ImageRow['path']; code: ClassRow['code'] }
  >(
    db,
    `SELECT e.id, e.edit_id, e.at, e.who, e.image_id, d.name AS dataset, i.path, c.code, e.old_value, e.new_value, e.old_intensity, e.new_intensity, e.reason, e.undoes
    ${from} WHERE e.id > ?${filter} ORDER BY e.id LIMIT ${CHUNK}`,
  )
  const rows = await CsvFile.writeAll(file, LABEL_EDIT_COLUMNS, async (csv) => {
    for (let last = 0; ;) {
      const events = page.all(last, ...(ids ?? []))
      if (!events.length) break
      last = events[events.length - 1].id
      for (const e of events) {
        await csv.write([
          e.id,
          e.edit_id,
          isoTime(e.at),
          e.who,
          e.image_id,
          e.dataset,
          e.path,
          e.code,
          e.old_value ?? '',
          e.new_value ?? '',
          e.old_intensity ?? '',
          e.new_intensity ?? '',
          e.reason,
          e.undoes ?? '',
        ])
      }
      options.onProgress?.(csv.rows, total)
    }
  })
  return { file, rows, columns: LABEL_EDIT_COLUMNS }
}
