import { z } from 'zod'
import { method } from './define'

// CSV exports: a run's predictions (with a JSON sidecar describing the run), the catalogue's labels
// (unknown left empty, distinct from absent = 0), the label edit log and an experiment's results. Main writes them; the
// desktop app writes to a file the user picks in a save dialog, the headless mode into the
// workspace's exports folder, from which the browser downloads it by an opaque id.

export const EXPORT_KINDS = ['predictions', 'labels', 'label-edits', 'experiment'] as const

/**
 * Column names of the labels export: the workbench's (class codes, `AU12_r` intensity beside `AU12`,
 * re-importable) or OpenFace's (`AU01_r`, `AU01_c`, `frame`...), to join with OpenFace and Py-Feat output.
 */
export const LABEL_LAYOUTS = ['workbench', 'openface'] as const
export type LabelLayout = (typeof LABEL_LAYOUTS)[number]
export type ExportKind = (typeof EXPORT_KINDS)[number]

/** One export written by main. */
export interface ExportResult {
  /** Opaque id: the headless server serves the file at /download/<id> (and the sidecar at /download/<id>/sidecar). */
  id: string
  kind: ExportKind
  /** The CSV's file name (what a download is saved as). */
  fileName: string
  /** Where the CSV was written, on the machine running the workbench. */
  file: string
  /** The JSON description written beside the CSV, when the export has one. */
  sidecar: string | null
  /** Data rows (the header not counted). */
  rows: number
  columns: string[]
  bytes: number
  /** 'chosen': a file the user picked in a save dialog; 'workspace': the workspace's exports folder. */
  savedTo: 'chosen' | 'workspace'
  runId: number | null
  createdAt: string
}

/** The user closed the save dialog without choosing a file. */
export interface ExportCancelled {
  cancelled: true
}

export const exportRequestSchema = z
  .object({
    kind: z.enum(EXPORT_KINDS),
    /** The run whose predictions to export (kind predictions). */
    runId: z.number().int().positive().optional(),
    /** The experiment whose results to export (kind experiment). */
    experimentId: z.number().int().positive().optional(),
    /** Only these datasets (by name); all when left out. */
    datasets: z.array(z.string().min(1)).max(1000).optional(),
    /** Probability from which an AU counts as present in the AU<n>_c columns (predictions). */
    threshold: z.number().min(0).max(1).default(0.5),
    /** Column names of the labels export (LABEL_LAYOUTS). */
    columns: z.enum(LABEL_LAYOUTS).default('workbench'),
    /** Ask where to save (desktop app); without it the file goes to the workspace's exports folder. */
    saveAs: z.boolean().default(false),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.kind === 'predictions' && r.runId === undefined)
      ctx.addIssue({ code: 'custom', path: ['runId'], message: 'choose the run whose predictions to export' })
    if (r.kind === 'experiment' && r.experimentId === undefined)
      ctx.addIssue({ code: 'custom', path: ['experimentId'], message: 'choose the experiment whose results to export' })
  })
export type ExportRequest = z.input<typeof exportRequestSchema>

export const exportMethods = {
  'exports.create': method<ExportResult | ExportCancelled>()(
    exportRequestSchema,
    'Writes a CSV export (predictions, labels or the label edit log), reporting export.progress; saveAs asks for the file in the desktop app.',
  ),
  'exports.list': method<ExportResult[]>()(
    z.object({}).strict(),
    "Exports in the workspace's exports folder, newest first.",
  ),
} as const
