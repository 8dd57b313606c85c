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
 * How an import finds the faces in its images. `detect`: the face finder (every face of a photo one
 * item, a photo without a face reported); `boxes`: the dataset's own face box (a record without one
 * is reported); `whole`: the image as it is (it is already a face crop); `auto`: per format and
 * record, the dataset's box where it gives one, detection for full-frame formats, whole images for
 * formats that ship aligned crops (faceModeOf in main/import/faces/face-mode.ts).
 */
export const FACE_MODES = ['auto', 'detect', 'boxes', 'whole'] as const
export type FaceMode = (typeof FACE_MODES)[number]

/** What an import did about faces: photos looked at, faces made items, photos with none. */
export interface ImportFacesReport {
  mode: FaceMode
  /** Photos the face finder looked at, faces it found (made items), photos it found none in. */
  photosSearched: number
  facesFound: number
  photosWithoutFace: number
  /** Crops cut from a face box the dataset gave. */
  boxCrops: number
  /** Where the face finder's networks ran (null when it did not run). */
  backend: string | null
  /** The import was stopped while the face finder was working: nothing was added. */
  stopped?: boolean
  /**
   * Video frames (present when the import read any): frames searched for faces (counted in
   * photosSearched too), the tracks their faces were followed as (one per person, `face_id`), and
   * frames kept whole (`--faces whole`: each frame one item, as before faces were searched in video).
   */
  frames?: { searched: number; tracks: number; whole: number }
}

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
  faces: ImportFacesReport
  /**
   * Pictures of this import that another dataset holds in a split that leaks into this one's (a
   * training picture there, validation or test here, or the other way round): listed with
   * reason `leakage` in `issues` too.
   */
  leakage: number
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

/** The face finder's settings an import may change (the rest are the finder's defaults). */
export const importFaceOptionsSchema = z
  .object({
    /** Detector score below which a candidate is not a face (0.05 - 0.99, default 0.5). */
    minConfidence: z.number().min(0.05).max(0.99).optional(),
    /** Side of the aligned crop in pixels (default 128). */
    cropSize: z.number().int().min(16).max(1024).optional(),
  })
  .strict()

export const importRunSchema = z
  .object({
    format: z.enum(IMPORT_FORMATS),
    path: z.string().min(1, 'Give the dataset folder or file'),
    name: z.string().trim().min(1).max(120).optional(),
    options: importOptionsSchema.default({}),
    faces: z.enum(FACE_MODES).default('auto'),
    faceOptions: importFaceOptionsSchema.default({}),
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
  'import.stop': method<{ stopped: boolean }>()(
    z.object({}).strict(),
    'Stop the import in progress: nothing of it is added to the catalogue.',
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
