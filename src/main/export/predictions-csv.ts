import type { Database } from 'better-sqlite3'
import { EMOTION_CODES } from '../../shared/labels'
import { WorkbenchError } from '../../shared/errors'
import { classIndex } from '../catalogue/classes'
import type { DatasetRow, ImageRow } from '../catalogue/catalogue-rows'
import { plucked, prepared } from '../db/statements'
import type { LabelRow } from '../labels/label-rows'
import { predictedClassIds } from '../runs/run-predictions'
import { runRow, type PredictionRow, type PredictionSetRow } from '../runs/run-rows'
import { filePath } from '../workspace/stored-paths'
import { CsvFile, TEXT_CELL_NOTE, formatProbability, writeSidecar } from './csv-file'
import { inDatasets } from './dataset-filter'
import { FACE_COLUMNS, FACE_COLUMNS_NOTE, FACE_FIELDS_SQL, faceCells, type FaceFields } from './face-columns'

export interface PredictionExport {
  file: string
  sidecar: string
  rows: number
  columns: string[]
}

const CHUNK = 2000

/**
 * Writes a run's predictions as CSV: one row per image with its path, dataset, split, predicted
 * emotion and its probability, a probability column per class (`<code>_p`), AU presence at the
 * threshold in OpenFace style (`AU12_c`), and the known labels (`<code>_label`, empty = unknown);
 * plus a sidecar JSON describing the run, checkpoint, threshold and classes.
 */
export async function exportPredictions(
  db: Database,
  runId: number,
  file: string,
  options: { threshold?: number; datasetIds?: number[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<PredictionExport> {
  const threshold = options.threshold ?? 0.5
  const run = runRow(db, runId)
  const set = prepared<Omit<PredictionSetRow, 'run_id'>>(
    db,
    'SELECT checkpoint, images, created_at FROM prediction_sets WHERE run_id = ?',
  ).get(runId)
  if (!set)
    throw new WorkbenchError(
      'not_found',
      `Run ${runId} has no predictions to export: let it finish, or run \`affect predict --run ${runId}\`.`,
      { id: runId },
    )
  const classes = classIndex(db)
  const classIds = predictedClassIds(db, runId)
  const codes = classIds.map((id) => classes.code(id))
  const column = new Map(classIds.map((id, i) => [id, i]))
  const emotionCols = codes
    .map((c, i) => ((EMOTION_CODES as readonly string[]).includes(c) ? i : -1))
    .filter((i) => i >= 0)
  const auCols = codes.map((c, i) => (/^AU\d+$/.test(c) ? i : -1)).filter((i) => i >= 0)
  const header = [
    'image_id',
    'path',
    'dataset',
    'split',
    ...FACE_COLUMNS,
    'predicted_emotion',
    'predicted_emotion_p',
    ...codes.map((c) => `${c}_p`),
    ...auCols.map((i) => `${codes[i]}_c`),
    ...codes.map((c) => `${c}_label`),
  ]

  const only = options.datasetIds
  const imageIds = plucked<number>(
    db,
    `SELECT DISTINCT p.image_id FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = ?${inDatasets('i.dataset_id', only)} ORDER BY p.image_id`,
  )
  const rows = await CsvFile.writeAll(file, header, async (csv) => {
    const ids = imageIds.all(runId, ...(only ?? []))
    const total = ids.length
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK)
      const marks = chunk.map(() => '?').join(',')
      const meta = new Map(
        prepared<Pick<ImageRow, 'id' | 'path' | 'split'> & FaceFields & { dataset: DatasetRow['name'] }>(
          db,
          `SELECT i.id, i.path, d.name AS dataset, i.split, ${FACE_FIELDS_SQL} FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.id IN (${marks})`,
        )
          .all(...chunk)
          .map((r) => [r.id, r]),
      )
      const probs = new Map<number, number[]>()
      for (const r of prepared<Omit<PredictionRow, 'run_id'>>(
        db,
        `SELECT image_id, class_id, probability FROM predictions WHERE run_id = ? AND image_id IN (${marks})`,
      ).iterate(runId, ...chunk)) {
        if (!probs.has(r.image_id)) probs.set(r.image_id, new Array(codes.length).fill(Number.NaN))
        probs.get(r.image_id)![column.get(r.class_id)!] = r.probability
      }
      const known = new Map<number, (number | null)[]>()
      for (const r of prepared<Pick<LabelRow, 'image_id' | 'class_id' | 'value'>>(
        db,
        `SELECT image_id, class_id, value FROM labels WHERE image_id IN (${marks})`,
      ).iterate(...chunk)) {
        const c = column.get(r.class_id)
        if (c === undefined) continue
        if (!known.has(r.image_id)) known.set(r.image_id, new Array(codes.length).fill(null))
        known.get(r.image_id)![c] = r.value
      }
      for (const id of chunk) {
        const m = meta.get(id)!
        const p = probs.get(id)!
        let best = -1
        for (const c of emotionCols) if (Number.isFinite(p[c]) && (best < 0 || p[c] > p[best])) best = c
        const labels = known.get(id) ?? []
        await csv.write([
          id,
          m.path,
          m.dataset,
          m.split,
          ...faceCells(m),
          best < 0 ? '' : codes[best],
          best < 0 ? '' : formatProbability(p[best]),
          ...p.map(formatProbability),
          ...auCols.map((c) => (Number.isFinite(p[c]) ? (p[c] >= threshold ? 1 : 0) : '')),
          ...codes.map((_, c) => labels[c] ?? ''),
        ])
      }
      options.onProgress?.(csv.rows, total)
    }
  })
  const sidecar = file.replace(/\.csv$/i, '') + '.json'
  writeSidecar(file, sidecar, {
    kind: 'affect-workbench predictions',
    run: {
      id: run.id,
      name: run.name,
      method: run.method,
      network: run.network,
      datasets: JSON.parse(run.datasets),
      config: JSON.parse(run.config),
      snapshotHash: run.snapshot_hash,
    },
    checkpoint: filePath(db, set.checkpoint),
    predictedAt: new Date(set.created_at).toISOString(),
    thresholds: { auPresence: threshold },
    rows,
    textCells: TEXT_CELL_NOTE,
    columns: {
      ...FACE_COLUMNS_NOTE,
      predicted_emotion: 'arg-max over the emotion outputs',
      '<code>_p': 'predicted probability of the class (sigmoid output; empty when no output of the run predicts it)',
      'AU<n>_c': `AU presence, 1 when its probability >= ${threshold} (OpenFace style)`,
      'AU<n>_r':
        'not written: the network predicts whether an AU is present (a probability), not its FACS intensity; coded intensities are in the labels export (AU12_r)',
      '<code>_label': 'the label in the catalogue at export time: 1 present, 0 absent, empty unknown',
    },
    classes: codes.map((code) => classes.list.find((c) => c.code === code)!),
  })
  return { file, sidecar, rows, columns: header }
}
