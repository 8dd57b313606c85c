import type { Database } from 'better-sqlite3'
import type { CellImage, CellImages, HeatmapCell, Split, TruthByEmotion } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { auNumberOf } from '../../shared/labels'
import { emotionOnlyRows } from '../../shared/metrics/fig2-aus-by-emotion'
import { trueClassOf } from '../../shared/metrics/categorical'
import { argMax, columnsOfKind, type Predictions } from '../../shared/metrics/types'
import { truthReader } from './hidden-truth'
import { loadRunPredictions, type PredictedImage } from '../runs/run-predictions'

// The Insights view's heat-maps, one level down: which images make a cell of the confusion matrix
// or of the paper's Fig. 2 matrix, and on demo data the Fig. 2 matrix of what the faces truly show.
// Rows are chosen exactly as runs.evaluate chooses them, so a cell's count is the number of images.

interface Scope {
  runId: number
  split: Split
  datasets?: string[]
}

function scoped(db: Database, scope: Scope): { images: PredictedImage[]; p: Predictions; rows: number[] } {
  const { images, p } = loadRunPredictions(db, scope.runId, scope.split)
  const keep = scope.datasets?.length ? new Set(scope.datasets) : null
  const rows = images.flatMap((img, row) => (!keep || keep.has(img.dataset) ? [row] : []))
  return { images, p, rows }
}

/** Fig. 2's rows: emotion-only images (a known emotion, no known AU) among the scoped rows. */
function figureRows(p: Predictions, rows: number[]): number[] {
  const inScope = new Set(rows)
  return Array.from(emotionOnlyRows(p)).filter((r) => inScope.has(r))
}

function column(p: Predictions, code: string, kind: string, field: string): number {
  const c = p.classes.findIndex((x) => x.code === code && x.kind === kind)
  if (c < 0)
    throw new WorkbenchError(
      'invalid_arguments',
      `${field}: the run predicts no ${kind === 'au' ? 'Action Unit' : kind} "${code}".`,
      { field, code },
    )
  return c
}

/** Share of the emotion-only images predicted as each emotion whose generated face truly shows each AU; null without truth. */
export function truthByEmotion(db: Database, scope: Scope): TruthByEmotion | null {
  const { images, p, rows } = scoped(db, scope)
  const truthOf = truthReader()
  const emotions = columnsOfKind(p.classes, 'emotion')
  const aus = columnsOfKind(p.classes, 'au')
  const present = emotions.map(() => aus.map(() => 0))
  const counts = emotions.map(() => 0)
  let total = 0
  for (const row of figureRows(p, rows)) {
    const truth = truthOf(images[row])
    const predicted = argMax(p, row, emotions)
    if (!truth || predicted < 0) continue
    const e = emotions.indexOf(predicted)
    counts[e]++
    total++
    aus.forEach((c, a) => {
      if ((truth[String(auNumberOf(p.classes[c].code))] ?? 0) > 0) present[e][a]++
    })
  }
  if (!total) return null
  return {
    emotions: emotions.map((c) => p.classes[c].code),
    aus: aus.map((c) => p.classes[c].code),
    matrix: present.map((row, e) => row.map((n) => (counts[e] ? n / counts[e] : null))),
    counts,
    images: total,
  }
}

/** The rows behind a cell, the column to rank them by (the cell's predicted class, or its AU) and the columns of its arg-max. */
function cellRows(
  p: Predictions,
  rows: number[],
  cell: HeatmapCell,
): { rows: number[]; sortColumn: number; predictedColumns: number[] } {
  if (cell.kind === 'confusion') {
    const task = cell.task ?? 'emotion'
    const columns = columnsOfKind(p.classes, task)
    const truth = column(p, cell.trueCode, task, 'cell.trueCode')
    const predicted = column(p, cell.predictedCode, task, 'cell.predictedCode')
    return {
      rows: rows.filter((r) => trueClassOf(p, r, columns) === truth && argMax(p, r, columns) === predicted),
      sortColumn: predicted,
      predictedColumns: columns,
    }
  }
  const emotions = columnsOfKind(p.classes, 'emotion')
  const emotion = column(p, cell.emotion, 'emotion', 'cell.emotion')
  const au = column(p, cell.au, 'au', 'cell.au')
  return {
    rows: figureRows(p, rows).filter((r) => argMax(p, r, emotions) === emotion),
    sortColumn: au,
    predictedColumns: emotions,
  }
}

/** The images behind one cell, most telling first (highest probability of the cell's class or AU), a page at a time, each with its probabilities, known labels and (demo) true AUs. */
export function cellImages(
  db: Database,
  scope: Scope & { cell: HeatmapCell; offset: number; limit: number },
): CellImages {
  const { images, p, rows } = scoped(db, scope)
  const n = p.classes.length
  const { rows: selected, sortColumn, predictedColumns } = cellRows(p, rows, scope.cell)
  selected.sort((a, b) => p.probabilities[b * n + sortColumn] - p.probabilities[a * n + sortColumn])
  const auColumns = columnsOfKind(p.classes, 'au')
  const truthOf = truthReader()
  const page = selected.slice(scope.offset, scope.offset + scope.limit).map((row): CellImage => {
    const img = images[row]
    const probabilities: Record<string, number> = {}
    const labels: Record<string, 0 | 1> = {}
    p.classes.forEach((cls, c) => {
      const v = p.probabilities[row * n + c]
      if (Number.isFinite(v)) probabilities[cls.code] = v
      if (p.mask[row * n + c] === 1) labels[cls.code] = p.labels[row * n + c] === 1 ? 1 : 0
    })
    const winner = argMax(p, row, predictedColumns)
    const truth = truthOf(img)
    return {
      id: img.id,
      dataset: img.dataset,
      path: img.path,
      split: img.split,
      predicted: winner < 0 ? null : { code: p.classes[winner].code, p: p.probabilities[row * n + winner] },
      probabilities,
      labels,
      truthAus: truth
        ? Object.fromEntries(
            auColumns.map((c) => [p.classes[c].code, (truth[String(auNumberOf(p.classes[c].code))] ?? 0) > 0 ? 1 : 0]),
          )
        : null,
    }
  })
  return { total: selected.length, offset: scope.offset, aus: auColumns.map((c) => p.classes[c].code), images: page }
}
