import { z } from 'zod'
import type { ClassAgreement } from '../statistics/agreement'
import type { Coefficient, Estimate } from '../statistics/estimate'
import type { ImageSummary, StoredLabel } from './catalogue'
import { method } from './define'
import { personNameSchema, reasonSchema } from './text'

// Several coders (issue 14): who codes (coders, lab links), what each coder was given to code
// (assignments and their queues), each coder's own codes (codings) beside the consensus labels,
// agreement between coders, and adjudication of their disagreements into the consensus.

const idSchema = z.number().int().positive()
const codeSchema = z.string().min(1).max(64)
const coderNames = z.array(personNameSchema).max(100)

export const CODER_ROLES = ['admin', 'coder'] as const
export type CoderRole = (typeof CODER_ROLES)[number]

export interface CoderInfo {
  id: number
  name: string
  role: CoderRole
  createdAt: string
  /** When the coder's link was revoked; null while it works. */
  revokedAt: string | null
  /** Whether the coder has a personal link (lab mode). */
  hasLink: boolean
}

/** Who is calling, as the server authenticated them (lab mode), or the one local user. */
export interface SessionInfo {
  lab: boolean
  name: string | null
  role: CoderRole
}

/** One code of one coder: value 1 present, 0 absent, null = not coded; intensity 1-5 (A-E) or null. */
export const codeChangeSchema = z
  .object({
    code: codeSchema,
    value: z.union([z.literal(0), z.literal(1), z.null()]),
    intensity: z.number().int().min(1).max(5).nullable().optional(),
  })
  .strict()
export type CodeChange = z.infer<typeof codeChangeSchema>

export interface Coding {
  code: string
  value: 0 | 1
  intensity: number | null
  at: string
}

/** What a coder sees of an image while coding it: their own codes; the rest once committed. */
export interface CodingView {
  image: ImageSummary
  coder: string
  /** The classes the image's dataset annotates (codes outside them are refused). */
  labelSpace: string[]
  mine: Coding[]
  /** True while the image is assigned to this coder and not committed: the fields below are withheld. */
  blind: boolean
  /** Other coders' codes, by coder name (empty while blind). */
  others: Record<string, Coding[]>
  /** The consensus labels (empty while blind). */
  consensus: StoredLabel[]
  /** The newest run's predicted probabilities (null while blind, or when there are none). */
  predictions: Record<string, number> | null
}

export interface AssignmentProgress {
  assignmentId: number
  dataset: string
  coder: string
  total: number
  committed: number
  /** The first image not yet committed, in queue order; null when done. */
  next: number | null
}

export interface AssignmentInfo {
  id: number
  dataset: string
  seed: number
  images: number
  createdBy: string
  createdAt: string
  progress: AssignmentProgress[]
}

export interface QueueItem {
  assignmentId: number
  imageId: number
  position: number
  committed: boolean
}

export interface CoderQueue {
  coder: string
  progress: AssignmentProgress[]
  items: QueueItem[]
}

/** The model as one more coder: its thresholded predictions against the consensus, per class. */
export interface ModelAgreement {
  runId: number
  threshold: number
  perClass: Record<string, Coefficient & { n: number }>
}

export interface AgreementReport {
  dataset: string | null
  coders: string[]
  /** Images coded by at least two of the coders. */
  images: number
  passMark: number
  /** Per class code ("emotion" for the emotion, or an AU code). */
  perClass: Record<string, ClassAgreement & { icc31?: Coefficient }>
  /** The FACS agreement index over all AUs, per image then averaged, for the pair. */
  overallAgreementIndex: Coefficient | null
  /** Cohen's kappa of each pair of coders on the emotion, matrix[a][b] in the order of `coders`. */
  coderMatrix: (Estimate | null)[][]
  model: ModelAgreement | null
}

export interface DisagreementItem {
  image: ImageSummary
  /** Classes the coders disagree on. */
  disagreements: string[]
  codings: Record<string, Coding[]>
  consensus: StoredLabel[]
}

export interface AdjudicationResult {
  adjudicationId: number
  editId: number | null
  changed: number
  /** Classes still in disagreement between the coders and the consensus on this image, before and after. */
  before: string[]
  after: string[]
}

const agreementScope = {
  dataset: z.string().min(1).max(200).optional(),
  coders: coderNames.optional(),
}

export const assignmentSchema = z
  .object({
    dataset: z.string().min(1).max(200),
    coders: coderNames.min(1),
    images: z.number().int().positive().max(1_000_000).optional(),
    percent: z.number().gt(0).max(100).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .default(1),
  })
  .strict()
  .refine((a) => (a.images === undefined) !== (a.percent === undefined), {
    message: 'Give either images (a number) or percent, not both',
    path: ['images'],
  })
export type AssignmentArgs = z.input<typeof assignmentSchema>

export const coderMethods = {
  'session.get': method<SessionInfo>()(
    z.object({}).strict(),
    'Who the server authenticated this caller as (lab mode), or the local user.',
    'coder',
  ),
  'coders.list': method<CoderInfo[]>()(z.object({}).strict(), 'Every coder, with role and link state.'),
  'coders.create': method<{ coder: CoderInfo; token: string }>()(
    z.object({ name: personNameSchema, role: z.enum(CODER_ROLES).default('coder') }).strict(),
    'Add a coder; returns their personal token (shown once; the workspace keeps only its hash).',
  ),
  'coders.revoke': method<CoderInfo>()(
    z.object({ name: personNameSchema }).strict(),
    "Revoke a coder's link: their token stops working at once; their codes stay.",
  ),
  'assignments.create': method<AssignmentInfo>()(
    assignmentSchema,
    'Sample images of a dataset (a number or a percentage, stratified by the current labels, with a seed) for several coders to code blind.',
  ),
  'assignments.list': method<AssignmentInfo[]>()(
    z.object({}).strict(),
    'Every assignment, with each coder’s progress.',
  ),
  'queue.get': method<CoderQueue>()(
    z.object({ coder: personNameSchema.optional() }).strict(),
    "A coder's queue: their assigned images in order, with progress.",
    'coder',
  ),
  'codings.image': method<CodingView>()(
    z.object({ imageId: idSchema, coder: personNameSchema.optional() }).strict(),
    "An image as a coder codes it: their own codes; other coders' codes, the consensus and predictions once committed.",
    'coder',
  ),
  'codings.save': method<{ changed: number; consensusChanged: number }>()(
    z
      .object({
        imageId: idSchema,
        changes: z.array(codeChangeSchema).min(1).max(500),
        reason: reasonSchema.default(''),
        coder: personNameSchema.optional(),
      })
      .strict(),
    "Save a coder's codes of one image (kept with the history; the consensus follows while the coders agree).",
    'coder',
  ),
  'codings.commit': method<CodingView>()(
    z.object({ imageId: idSchema, coder: personNameSchema.optional() }).strict(),
    'Commit an assigned image: its codes so far are the blind answer; the others are shown from now on.',
    'coder',
  ),
  'agreement.get': method<AgreementReport>()(
    z.object({ ...agreementScope, runId: idSchema.optional(), seed: z.number().int().min(0).optional() }).strict(),
    "Agreement per class between coders (Cohen's and Fleiss' kappa, Krippendorff's alpha, the FACS index, ICC), with n and 95% intervals; the model as one more coder.",
  ),
  'adjudication.queue': method<{ total: number; items: DisagreementItem[] }>()(
    z
      .object({
        ...agreementScope,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    'Images where coders disagree, most disagreements first, with every coding side by side.',
  ),
  'adjudication.resolve': method<AdjudicationResult>()(
    z
      .object({
        imageId: idSchema,
        labels: z.array(codeChangeSchema).min(1).max(500),
        reason: reasonSchema.refine((r) => r.trim().length > 0, 'Give the reason for the decision'),
      })
      .strict(),
    'Set the consensus of an image the coders disagree on, with a reason (logged).',
  ),
} as const
