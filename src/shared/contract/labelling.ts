import { z } from 'zod'
import {
  imageQuerySchema,
  intensitySchema,
  type EditResult,
  type ImagePage,
  type ImageSummary,
  REVIEW_STATUSES,
} from './catalogue'
import { method } from './define'
import { idList } from './long-lists'
import { shortcutBindingsSchema } from './shortcuts'
import { personNameSchema, reasonSchema } from './text'

// Labelling: the catalogue grid with a run's predictions beside the labels, bulk edits over a
// selection, redo, per-image revert, and the keyboard shortcuts a coder chose.

const idSchema = z.number().int().positive()
const codeSchema = z.string().min(1).max(64)
const probability = z.number().min(0).max(1)
const whoSchema = personNameSchema.optional()

/** images.page filters plus, with a run that has predictions, filters on what it predicted. */
export const browseFilterSchema = imageQuerySchema
  .extend({
    /** The run whose predictions the prediction filters and sorts use. */
    runId: idSchema.optional(),
    /** Label and prediction differ by at least `min` (|label - probability|), on one class or on any. */
    disagreement: z.object({ min: probability, code: codeSchema.optional() }).strict().optional(),
    /** The run predicted `code` with a probability between min and max. */
    confidence: z.object({ code: codeSchema, min: probability, max: probability }).strict().optional(),
  })
  .strict()
export type BrowseFilter = z.infer<typeof browseFilterSchema>

export const BROWSE_SORTS = ['id', 'path', 'dataset', 'uncertainty', 'disagreement'] as const
export type BrowseSort = (typeof BROWSE_SORTS)[number]

const browseOrderSchema = {
  /** uncertainty: predictions nearest 0.5 first; disagreement: largest first (both with order desc). */
  sort: z.enum(BROWSE_SORTS).default('id'),
  order: z.enum(['asc', 'desc']).default('asc'),
}

export const browsePageSchema = browseFilterSchema
  .extend({
    ...browseOrderSchema,
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict()
export type BrowsePageArgs = z.input<typeof browsePageSchema>

/** Per image, from the run's predictions: how unsure it was, and how far it is from the labels. */
export interface PredictionScores {
  /** max over classes of 1 - |2p - 1|: 1 = some class predicted at 0.5. */
  uncertainty: number
  /** max over known labels of |label - p|; null when no known label has a prediction. */
  disagreement: number | null
}

export interface BrowseItem extends ImageSummary {
  /** Present when the page was asked with a runId and the run predicted this image. */
  scores?: PredictionScores
}

export interface BrowsePage extends Omit<ImagePage, 'items'> {
  items: BrowseItem[]
}

/** Images chosen in the grid: a list of ids, or everything matching a filter except some. */
export const selectionSchema = z.union([
  z.object({ ids: idList({ min: 1, max: 1_000_000 }) }).strict(),
  z.object({ query: browseFilterSchema, except: idList({ max: 1_000_000 }).default([]) }).strict(),
])
export type Selection = z.input<typeof selectionSchema>

export interface ImagePredictions {
  runId: number
  runName: string
  /** Probability per class code the run predicted for this image. */
  probabilities: Record<string, number>
}

/** Actions a shortcut can trigger mapped to key combinations such as "ArrowRight", "Ctrl+Z", "Shift+Q". */
export type ShortcutBindings = Record<string, string[]>

export const labellingMethods = {
  'images.browse': method<BrowsePage>()(
    browsePageSchema,
    "A page of the catalogue grid: images.page filters plus a run's prediction filters and sorts.",
  ),
  'images.position': method<{ index: number | null; total: number }>()(
    browseFilterSchema.extend({ ...browseOrderSchema, id: idSchema }).strict(),
    'Where an image sits in a filtered, sorted catalogue (null when the filter leaves it out).',
  ),
  'images.predictions': method<ImagePredictions | null>()(
    z.object({ imageId: idSchema, runId: idSchema.optional() }).strict(),
    "A run's predicted probabilities for one image (by default the newest run with predictions); null when there are none.",
  ),
  'images.bulkReview': method<{ images: number; changed: number }>()(
    z.object({ selection: selectionSchema, status: z.enum(REVIEW_STATUSES) }).strict(),
    'Set the review status of every selected image.',
  ),
  'labels.bulkEdit': method<EditResult & { images: number }>()(
    z
      .object({
        selection: selectionSchema,
        code: codeSchema,
        value: z.union([z.literal(0), z.literal(1), z.null()]),
        /** FACS intensity 1-5 (A-E) of a present AU; left out or null: present, intensity not coded. */
        intensity: intensitySchema.nullable().optional(),
        reason: reasonSchema.default(''),
        who: whoSchema,
      })
      .strict()
      .refine((c) => c.intensity == null || c.value === 1, {
        message: 'an intensity (1-5 = A-E) goes with a present label (value 1) only',
        path: ['intensity'],
      }),
    'Set or clear one label (with its FACS intensity) on every selected image in one edit, recorded per image (emotions stay single-choice).',
  ),
  'labels.redo': method<EditResult>()(
    z.object({ editId: idSchema.optional(), who: whoSchema }).strict(),
    'Redo an undone edit: give the id of the undo (by default the latest undo not yet redone).',
  ),
  'labels.revert': method<EditResult>()(
    z.object({ editId: idSchema, imageId: idSchema, who: whoSchema }).strict(),
    "Undo one edit on one image only (from that image's history), recorded as a new edit.",
  ),
  'shortcuts.get': method<ShortcutBindings>()(
    z.object({}).strict(),
    'The keyboard shortcuts this user changed (action -> keys); the rest keep their defaults.',
  ),
  'shortcuts.set': method<ShortcutBindings>()(
    z.object({ bindings: shortcutBindingsSchema }).strict(),
    'Remember changed keyboard shortcuts (replaces the previous changes).',
  ),
} as const
