import type { Database } from 'better-sqlite3'
import { isoTime } from '../catalogue/time'
import { prepared, scalar } from '../db/statements'
import { CsvFile } from './csv-file'
import { inDatasets } from './dataset-filter'

// `affect export codings`: every coder's codes, one row per image, coder and class, with the blind
// answer (the last code given before the coder committed the image, when it was assigned) and the
// consensus beside it, so that agreement can be recomputed in any statistics package.

export const CODING_COLUMNS = [
  'image_id',
  'dataset',
  'path',
  'coder',
  'class',
  'value',
  'intensity',
  'blind_value',
  'consensus',
  'set_at',
]

const CHUNK = 5000

interface CodingExportRow {
  image_id: number
  class_id: number
  coder_id: number
  dataset: string
  path: string
  coder: string
  code: string
  value: number
  intensity: number | null
  blind_value: number | null
  consensus: number | null
  set_at: number
}

export async function exportCodings(
  db: Database,
  file: string,
  options: { datasetIds?: number[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ file: string; rows: number; columns: string[] }> {
  const ids = options.datasetIds ?? []
  const filter = inDatasets('i.dataset_id', options.datasetIds)
  const from = `FROM codings k JOIN images i ON i.id = k.image_id JOIN datasets d ON d.id = i.dataset_id
    JOIN coders r ON r.id = k.coder_id JOIN classes c ON c.id = k.class_id`
  const total = scalar<number>(db, `SELECT count(*) ${from} WHERE 1 = 1${filter}`, ...ids)
  const page = prepared<CodingExportRow>(
    db,
    `SELECT k.image_id, k.class_id, k.coder_id, d.name AS dataset, i.path, r.name AS coder, c.code, k.value, k.intensity, k.set_at,
      (SELECT e.new_value FROM coding_events e WHERE e.image_id = k.image_id AND e.class_id = k.class_id
        AND e.coder_id = k.coder_id AND e.blind = 1 ORDER BY e.id DESC LIMIT 1) AS blind_value,
      (SELECT l.value FROM labels l WHERE l.image_id = k.image_id AND l.class_id = k.class_id) AS consensus
    ${from} WHERE (k.image_id, k.coder_id, c.position) > (?, ?, ?)${filter}
    ORDER BY k.image_id, k.coder_id, c.position LIMIT ${CHUNK}`,
  )
  const position = prepared<{ position: number }>(db, 'SELECT position FROM classes WHERE id = ?')
  const rows = await CsvFile.writeAll(file, CODING_COLUMNS, async (csv) => {
    for (let last: [number, number, number] = [0, 0, -1]; ;) {
      const codings = page.all(...last, ...ids)
      if (!codings.length) break
      const end = codings[codings.length - 1]
      last = [end.image_id, end.coder_id, position.get(end.class_id)!.position]
      for (const k of codings)
        await csv.write([
          k.image_id,
          k.dataset,
          k.path,
          k.coder,
          k.code,
          k.value,
          k.intensity,
          k.blind_value,
          k.consensus,
          isoTime(k.set_at),
        ])
      options.onProgress?.(csv.rows, total)
    }
  })
  return { file, rows, columns: CODING_COLUMNS }
}
