import { z } from 'zod'
import type { AuByEmotion } from '../metrics/fig2-aus-by-emotion'
import type { AuByEmotionScore } from '../statistics/fig2-score'
import { SPLITS } from './catalogue'
import { method } from './define'

// What the researcher's views need beyond runs.*: the images behind a cell of the confusion matrix
// or of the paper's Fig. 2 matrix, the Fig. 2 matrix of the demo data's hidden truth, the trainer's
// messages kept with a run, and the best value of each validation metric per run.

const idSchema = z.number().int().positive()
const codeSchema = z.string().min(1).max(64)

/** A cell of a heat-map: true x predicted class (confusion), or predicted emotion x AU (Fig. 2, emotion-only images). */
export const heatmapCellSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('confusion'),
      task: z.enum(['emotion', 'compound']).default('emotion'),
      trueCode: codeSchema,
      predictedCode: codeSchema,
    })
    .strict(),
  z.object({ kind: z.literal('au-by-emotion'), emotion: codeSchema, au: codeSchema }).strict(),
])
export type HeatmapCell = z.input<typeof heatmapCellSchema>

/** One image behind a cell, with what the run predicted and what is known about it. */
export interface CellImage {
  id: number
  dataset: string
  path: string
  split: string
  /** The predicted class of the cell's task (arg-max), with its probability. */
  predicted: { code: string; p: number } | null
  /** Predicted probability by class code (classes the run predicts). */
  probabilities: Record<string, number>
  /** Known labels by class code (1 present, 0 absent); a code that is missing is unknown. */
  labels: Record<string, 0 | 1>
  /** On generated (demo) data: the AUs the generator drew, by AU code; null for real datasets. */
  truthAus: Record<string, 0 | 1> | null
}

export interface CellImages {
  total: number
  offset: number
  /** AU codes the run predicts, in class order: the bars of each image. */
  aus: string[]
  images: CellImage[]
}

/** The Fig. 2 layout on the generator's truth: share of the emotion-only images predicted as each emotion that truly show each AU. */
export interface TruthByEmotion extends AuByEmotion {
  images: number
}

/**
 * The paper's Fig. 2 as one number: the mean predicted AU per predicted emotion on emotion-only
 * faces against a reference (mean absolute error over the cells, Spearman rank correlation).
 */
export interface Fig2Score extends AuByEmotionScore {
  /** Demo data: what the faces truly show (the generator's hidden truth); real data: the EMFACS prototypes. */
  reference: 'hidden truth' | 'EMFACS prototypes'
  /** Emotion-only faces behind the matrix. */
  images: number
}

export interface RunMessage {
  at: string
  level: 'info' | 'warn' | 'error'
  message: string
}

/** Best value of each validation metric of a run (lowest for losses, highest otherwise) and the step it was reached at. */
export interface RunBests {
  runId: number
  best: Record<string, { value: number; step: number }>
}

const scope = {
  runId: idSchema,
  split: z.enum(SPLITS).default('test'),
  /** Only images of these datasets (by name), as runs.evaluate. */
  datasets: z.array(z.string().min(1)).max(1000).optional(),
}

export const insightMethods = {
  'insights.cellImages': method<CellImages>()(
    z
      .object({
        ...scope,
        cell: heatmapCellSchema,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(48),
      })
      .strict(),
    'The images behind one cell of the confusion or Fig. 2 matrix, with predicted probabilities, known labels and (demo data) the true AUs.',
  ),
  'insights.truthByEmotion': method<TruthByEmotion | null>()(
    z.object(scope).strict(),
    "On demo data: Fig. 2 against the generator's truth (share of images predicted as each emotion that show each AU); null on real data.",
  ),
  'insights.fig2Score': method<Fig2Score | null>()(
    z.object(scope).strict(),
    'Fig. 2 as one number: mean absolute error and rank correlation of the AUs by predicted emotion against the hidden truth (demo) or the EMFACS prototypes; null when the run predicts no AU on emotion-only faces.',
  ),
  'runs.messages': method<RunMessage[]>()(
    z.object({ id: idSchema }).strict(),
    "The trainer's messages of a run, oldest first (kept across restarts).",
  ),
  'runs.bestMetrics': method<RunBests[]>()(
    z.object({}).strict(),
    'Best value of each validation metric per run, for the runs table.',
  ),
} as const
