import type { Database } from 'better-sqlite3'
import type { Fig2Score, Split } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { auNumberOf } from '../../shared/labels'
import { auByEmotion, emotionOnlyRows } from '../../shared/metrics/fig2-aus-by-emotion'
import { columnsOfKind, type Predictions } from '../../shared/metrics/types'
import { scoreAuByEmotion, type AuByEmotionMatrix } from '../../shared/statistics/fig2-score'
import { emotionPrototypes } from '../labels/label-space'
import { loadRunPredictions, type PredictedImage } from '../runs/run-predictions'
import { truthReader } from './hidden-truth'

// The paper's Fig. 2 as one number (issue 16 item 3): the mean predicted AU per predicted emotion on
// emotion-only faces against a reference, as a mean absolute error over the cells and a rank
// correlation. On demo data the reference is what the faces truly show (the generator's hidden
// truth, grouped by the same predicted emotion); on real data, the EMFACS prototypes (1 where the
// prototype has the AU, 0 elsewhere; neutral has none).

/** Emotion columns from one run, AU columns from another (the single networks), on the images both predicted. */
function merged(
  emotion: { images: PredictedImage[]; p: Predictions },
  au: { images: PredictedImage[]; p: Predictions },
  keep: (img: PredictedImage) => boolean,
): { images: PredictedImage[]; p: Predictions } {
  const eCols = columnsOfKind(emotion.p.classes, 'emotion')
  const aCols = columnsOfKind(au.p.classes, 'au')
  const auRow = new Map(au.images.map((img, r) => [img.id, r]))
  const rows = emotion.images.flatMap((img, r) => (keep(img) && auRow.has(img.id) ? [r] : []))
  const n = eCols.length + aCols.length
  const [ne, na] = [emotion.p.classes.length, au.p.classes.length]
  const probabilities = new Float32Array(rows.length * n)
  const labels = new Uint8Array(rows.length * n)
  const mask = new Uint8Array(rows.length * n)
  rows.forEach((r, i) => {
    const a = auRow.get(emotion.images[r].id)!
    const cells: [Predictions, number][] = [
      ...eCols.map((c): [Predictions, number] => [emotion.p, r * ne + c]),
      ...aCols.map((c): [Predictions, number] => [au.p, a * na + c]),
    ]
    cells.forEach(([p, at], j) => {
      probabilities[i * n + j] = p.probabilities[at]
      labels[i * n + j] = p.labels[at]
      mask[i * n + j] = p.mask[at]
    })
  })
  const classes = [...eCols.map((c) => emotion.p.classes[c]), ...aCols.map((c) => au.p.classes[c])]
  return { images: rows.map((r) => emotion.images[r]), p: { classes, probabilities, labels, mask } }
}

/** What the faces behind each predicted emotion truly show (share with each AU); null when one of them has no truth. */
function truthMatrix(
  images: PredictedImage[],
  predicted: AuByEmotionMatrix,
  rowsByEmotion: number[][],
): AuByEmotionMatrix | null {
  const truthOf = truthReader()
  if (rowsByEmotion.some((rows) => rows.some((r) => !truthOf(images[r])))) return null
  const matrix = rowsByEmotion.map((rows) =>
    predicted.aus.map((au) =>
      rows.length
        ? rows.filter((r) => (truthOf(images[r])![String(auNumberOf(au))] ?? 0) > 0).length / rows.length
        : null,
    ),
  )
  return { emotions: predicted.emotions, aus: predicted.aus, matrix, counts: rowsByEmotion.map((r) => r.length) }
}

function prototypeMatrix(predicted: AuByEmotionMatrix): AuByEmotionMatrix {
  const prototypes = emotionPrototypes() as Record<string, number[] | undefined>
  const emotions = predicted.emotions.filter((e) => prototypes[e])
  const matrix = emotions.map((e) => predicted.aus.map((au) => (prototypes[e]!.includes(auNumberOf(au)!) ? 1 : 0)))
  return { emotions, aus: predicted.aus, matrix }
}

/** Rows of the matrix's images per predicted emotion (the arg-max over the emotion outputs). */
function rowsPerEmotion(p: Predictions, rows: ArrayLike<number>): number[][] {
  const eCols = columnsOfKind(p.classes, 'emotion')
  const n = p.classes.length
  const out = eCols.map((): number[] => [])
  for (const r of Array.from(rows)) {
    let best = -1
    eCols.forEach((c, i) => {
      if (best < 0 || p.probabilities[r * n + c] > p.probabilities[r * n + eCols[best]]) best = i
    })
    if (best >= 0) out[best].push(r)
  }
  return out
}

/** Fig. 2 score of one run for the Insights view: null when it predicts no AU on emotion-only faces. */
export function runFig2Score(db: Database, runId: number, split: Split, datasets?: string[]): Fig2Score | null {
  try {
    return fig2Score(db, { emotion: runId, au: runId }, split, datasets)
  } catch (e) {
    if (e instanceof WorkbenchError && e.code === 'not_found') return null
    throw e
  }
}

/**
 * Fig. 2 score of a run (or, for the single networks, of an emotion run and an AU run together) on
 * the emotion-only images of a split, optionally of some datasets only.
 */
export function fig2Score(
  db: Database,
  runs: { emotion: number; au: number },
  split: Split,
  datasets?: string[],
): Fig2Score {
  const emotion = loadRunPredictions(db, runs.emotion, split)
  const au = runs.au === runs.emotion ? emotion : loadRunPredictions(db, runs.au, split)
  const keep = (img: PredictedImage): boolean => !datasets?.length || datasets.includes(img.dataset)
  const { images, p } = merged(emotion, au, keep)
  const rows = emotionOnlyRows(p)
  if (!rows.length || !columnsOfKind(p.classes, 'au').length)
    throw new WorkbenchError(
      'not_found',
      `Run ${runs.emotion}${runs.au !== runs.emotion ? ` with run ${runs.au}` : ''} has no AU predictions on emotion-only images of the ${split} split: Fig. 2 needs both.`,
      { runs },
    )
  const predicted = auByEmotion(p, rows)
  const truth = truthMatrix(images, predicted, rowsPerEmotion(p, rows))
  const score = scoreAuByEmotion(predicted, truth ?? prototypeMatrix(predicted))
  return { ...score, reference: truth ? 'hidden truth' : 'EMFACS prototypes', images: rows.length }
}
