import { z } from 'zod'
import { method } from './define'

export const IMPORT_FORMATS = [
  'folder',
  'csv',
  'fer2013',
  'ferplus',
  'sfew',
  'emotionet',
  'ckplus',
  'rafdb',
  'affectnet',
  'disfa',
  'bp4d',
  'video',
] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

/**
 * One thing the import skipped or could not read, and why: the file, its line as an editor shows it,
 * and the column's header when one cell is concerned. `kept`: the image was still imported, only the
 * value the detail names was left out (a label left unknown, a split left unset).
 */
export interface ImportReportIssue {
  file: string
  row?: number
  column?: string
  reason: string
  detail: string
  kept?: boolean
}

export interface ImportReport {
  dataset: string
  datasetId: number | null
  format: ImportFormat
  root: string
  /** Images added to the catalogue by this import. */
  imported: number
  /** Images this dataset already had (a re-import adds nothing). */
  alreadyImported: number
  /** Rows, images or files skipped (issues without `kept`). */
  skipped: number
  /** Skipped images counted by reason. */
  skippedByReason: Record<string, number>
  /** Values left out of images that were imported (issues with `kept`), in all and by reason. */
  notes: number
  notesByReason: Record<string, number>
  /** The issues in the order met, at most 200 of each reason; `issuesLeftOff` counts the rest by reason. */
  issues: ImportReportIssue[]
  issuesLeftOff: Record<string, number>
  /** A CSV listing every issue, written into the workspace when some were left off `issues`. */
  issuesFile?: string
  labelSpace: string[]
  labels: number
  seconds: number
}

export const importOptionsSchema = z
  .object({
    file: z.string().optional(),
    imagesDir: z.string().optional(),
    pathColumn: z.string().optional(),
    splitColumn: z.string().optional(),
    columns: z.record(z.string(), z.string()).optional(),
    values: z.record(z.string(), z.union([z.literal(0), z.literal(1), z.null()])).optional(),
    labelColumn: z.string().optional(),
    labelCodes: z.record(z.string(), z.string()).optional(),
    attributes: z.record(z.string(), z.string()).optional(),
    fer2013File: z.string().optional(),
    majority: z.enum(['most-votes', 'over-half']).optional(),
    allFrames: z.boolean().optional(),
    subset: z.enum(['basic', 'compound']).optional(),
    frameOffset: z.number().int().optional(),
    multiLabel: z.boolean().optional(),
    fps: z.number().positive().max(240).optional(),
    camera: z.enum(['left', 'right']).optional(),
  })
  .strict()

export const importRunSchema = z
  .object({
    format: z.enum(IMPORT_FORMATS),
    path: z.string().min(1, 'Give the dataset folder or file'),
    name: z.string().trim().min(1).max(120).optional(),
    options: importOptionsSchema.default({}),
    /** Split for images whose dataset has none: shares and seed. */
    split: z
      .object({
        train: z.number().min(0),
        val: z.number().min(0),
        test: z.number().min(0),
        seed: z.number().int().default(1),
      })
      .strict()
      .optional(),
  })
  .strict()

export const importMethods = {
  'import.formats': method<{ format: ImportFormat; describe: string }[]>()(
    z.object({}).strict(),
    'The dataset formats the workbench reads in place.',
  ),
  'import.run': method<ImportReport>()(
    importRunSchema,
    'Import a dataset in place, in one transaction, with a report of what was skipped and why.',
  ),
} as const

export interface DemoResult {
  workspace: { path: string; name: string; datasets: number; images: number }
  faces: number
  seed: number
  size: 'small' | 'medium' | 'large'
  reports: ImportReport[]
}

export const demoMethods = {
  'demo.create': method<DemoResult>()(
    z
      .object({
        path: z.string().min(1).optional(),
        size: z.enum(['small', 'medium', 'large']).default('medium'),
        seed: z.number().int().min(0).default(1),
      })
      .strict(),
    'Create (or refresh) a workspace with the generated demo datasets, imported like any dataset, and open it.',
  ),
} as const
