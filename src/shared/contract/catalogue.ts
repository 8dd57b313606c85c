import type { FaceDetail, FaceEvent } from './faces'
import { z } from 'zod'
import { isIntensity } from '../intensity'
import type { LabelClass, LabelValue } from '../labels'
import { method } from './define'
import { idList, longList } from './long-lists'
import { noteSchema, personNameSchema, reasonSchema } from './text'

export const SPLITS = ['train', 'val', 'test'] as const
export type Split = (typeof SPLITS)[number]
export const REVIEW_STATUSES = ['to_review', 'verified', 'flagged'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

export interface DatasetSummary {
  id: number
  name: string
  format: string
  /** The dataset's folder (absolute, wherever the workspace is now). */
  root: string
  /** The classes this dataset annotates (its label space L^k), in class order. */
  classCodes: string[]
  /**
   * Several emotions (and compound emotions) may be present on one image, as with FER+ crowd votes.
   * Otherwise emotions are one choice per image: setting one present marks the others absent.
   */
  multiLabel: boolean
  images: number
  splits: Record<Split, number>
}

export interface ImageSummary {
  id: number
  datasetId: number
  dataset: string
  path: string
  split: Split
  width: number
  height: number
  reviewStatus: ReviewStatus
  /** Known labels only: a code that is missing is unknown. */
  labels: Record<string, LabelValue>
}

export interface StoredLabel {
  code: string
  value: LabelValue
  /** FACS intensity 1-5 (A-E) of a present AU; null = not coded (or absent). See shared/intensity.ts. */
  intensity: number | null
  setBy: string
  setAt: string
}

export interface LabelEvent {
  id: number
  editId: number
  imageId: number
  code: string
  /** null = unknown */
  oldValue: LabelValue | null
  newValue: LabelValue | null
  /** FACS intensity 1-5 (A-E) before and after; null = none or not coded. */
  oldIntensity: number | null
  newIntensity: number | null
  who: string
  at: string
  reason: string
  /** The edit this one reverted, when it was an undo. */
  undoes: number | null
}

export interface ImageDetail extends ImageSummary {
  labelDetails: StoredLabel[]
  /** The dataset's label space, to show those classes first. */
  labelSpace: string[]
  /** Its dataset is multi-label (see DatasetSummary.multiLabel). */
  multiLabel: boolean
  note: string
  faceBox: { x: number; y: number; width: number; height: number } | null
  attributes: Record<string, number>
  history: LabelEvent[]
  /** The face this item is (its photo, box, landmarks), and the changes coders made to it, newest first. */
  face: FaceDetail
  faceHistory: FaceEvent[]
}

export interface LabelCounts {
  present: number
  absent: number
  unknown: number
}

export interface AvailabilityMatrix {
  datasets: { id: number; name: string; images: number; labels: Record<string, LabelCounts> }[]
}

const labelStateSchema = z.enum(['present', 'absent', 'unknown'])
const codeSchema = z.string().min(1).max(64)
const idSchema = z.number().int().positive()

/**
 * A label state to filter on; `atLeast` (1-5 = A-E, with state present) keeps the labels coded at
 * that FACS intensity or more ("AU12 at C or more"), leaving out present labels without one.
 */
const classFilterSchema = z
  .object({ code: codeSchema, state: labelStateSchema, atLeast: z.number().int().min(1).max(5).optional() })
  .strict()
  .refine((f) => f.atLeast === undefined || f.state === 'present', {
    message: 'an intensity (atLeast) filters present labels only: use state "present"',
    path: ['atLeast'],
  })

export const imageQuerySchema = z
  .object({
    datasetIds: z.array(idSchema).max(1000).optional(),
    splits: z.array(z.enum(SPLITS)).optional(),
    classes: z.array(classFilterSchema).max(50).optional(),
    review: z.array(z.enum(REVIEW_STATUSES)).optional(),
    pathContains: z.string().max(500).optional(),
    /** Faces: detector score below a value, marked "not a face" (or not), photos with at least this many faces. */
    faces: z
      .object({
        scoreBelow: z.number().min(0).max(1).optional(),
        notAFace: z.boolean().optional(),
        perPhotoAtLeast: z.number().int().min(1).max(1000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
export type ImageQuery = z.infer<typeof imageQuerySchema>

export const imagePageSchema = imageQuerySchema
  .extend({
    sort: z.enum(['id', 'path', 'dataset']).default('id'),
    order: z.enum(['asc', 'desc']).default('asc'),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict()

export interface ImagePage {
  total: number
  offset: number
  items: ImageSummary[]
}

/** FACS intensity of a present label: 1-5 = A-E (shared/intensity.ts); null = present, not coded. */
export const intensitySchema = z.number().int().min(1).max(5)

const INTENSITY_NEEDS_PRESENT = 'an intensity (1-5 = A-E) goes with a present label (value 1) only'

/**
 * One label change: value 1 present, 0 absent, null = clear to unknown. `intensity` (1-5 = A-E)
 * only with value 1; left out or null, a present label has no coded intensity.
 */
export const labelChangeSchema = z
  .object({
    imageId: idSchema,
    code: codeSchema,
    value: z.union([z.literal(0), z.literal(1), z.null()]),
    intensity: intensitySchema.nullable().optional(),
  })
  .strict()
  .refine((c) => c.intensity == null || c.value === 1, { message: INTENSITY_NEEDS_PRESENT, path: ['intensity'] })
export type LabelChange = z.infer<typeof labelChangeSchema>

const CHANGE_KEYS = new Set(['imageId', 'code', 'value', 'intensity'])
/** labelChangeSchema as a plain check, for lists of a million changes (long-lists.ts). */
function isLabelChange(x: unknown): x is LabelChange {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false
  const o = x as Record<string, unknown>
  for (const key of Object.keys(o)) if (!CHANGE_KEYS.has(key)) return false
  const { imageId, code, value, intensity } = o
  const intensityOk = intensity === undefined || intensity === null || (isIntensity(intensity) && value === 1)
  return (
    Number.isSafeInteger(imageId) &&
    (imageId as number) > 0 &&
    typeof code === 'string' &&
    code.length >= 1 &&
    code.length <= 64 &&
    (value === 0 || value === 1 || value === null) &&
    intensityOk
  )
}
export const labelChangesSchema = longList(labelChangeSchema, isLabelChange, { min: 1, max: 1_000_000 })

export interface EditResult {
  editId: number | null
  /** Changes that altered a label (setting a label to the value it has is not a change). */
  changed: number
  at: string
}

export const catalogueMethods = {
  'classes.list': method<LabelClass[]>()(z.object({}).strict(), 'Every class of the union label space.', 'coder'),
  'datasets.list': method<DatasetSummary[]>()(
    z.object({}).strict(),
    'The datasets of the open workspace with their label spaces.',
  ),
  'images.page': method<ImagePage>()(imagePageSchema, 'A page of images matching filters, with the total count.'),
  'images.get': method<ImageDetail>()(
    z.object({ id: idSchema }).strict(),
    'One image with its labels and their history.',
  ),
  'images.setReview': method<{ changed: number }>()(
    z
      .object({
        imageIds: idList({ min: 1, max: 1_000_000 }),
        status: z.enum(REVIEW_STATUSES),
        note: noteSchema.optional(),
      })
      .strict(),
    'Set review status (and optionally the note) of images.',
  ),
  'labels.availability': method<AvailabilityMatrix>()(
    z.object({}).strict(),
    'Per dataset and class: how many images have it present, absent, unknown.',
  ),
  'labels.edit': method<EditResult>()(
    z
      .object({ changes: labelChangesSchema, reason: reasonSchema.default(''), who: personNameSchema.optional() })
      .strict(),
    'Set or clear labels on one or many images as one edit, recorded in the label history. Emotions are one choice per image (unless the dataset is multi-label): setting one present marks the others absent; setting two present on one image is refused.',
  ),
  'labels.undo': method<EditResult>()(
    z.object({ editId: idSchema.optional(), who: personNameSchema.optional() }).strict(),
    'Undo an edit (by default the latest one not yet undone), recorded as a new edit.',
  ),
} as const
