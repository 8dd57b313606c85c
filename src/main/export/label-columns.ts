import type { LabelLayout } from '../../shared/contract'
import { intensityCell } from '../../shared/intensity'
import type { LabelClass, LabelValue } from '../../shared/labels'
import type { CsvCell } from './csv-file'

// The label columns of the labels export, in two layouts:
// - workbench: one column per class named by its code (1 present, 0 absent, empty unknown), and
//   `<AU>_r` after each AU (0 absent, 1-5 = A-E, empty unknown or not coded); the csv importer
//   reads this layout back.
// - openface: OpenFace's names so the file joins with OpenFace / Py-Feat output: `AU01_r`... then
//   `AU01_c`... (zero-padded, in AU order, as OpenFace's RecorderCSV writes them), then the
//   emotions and compounds under their codes.

export type { LabelLayout }

/** A known label as the export reads it. */
export interface KnownLabel {
  value: LabelValue
  intensity: number | null
}

interface LabelColumn {
  header: string
  cell: (label: KnownLabel | undefined) => CsvCell
}

const presence = (l: KnownLabel | undefined): CsvCell => l?.value ?? ''
const intensity = (l: KnownLabel | undefined): CsvCell => intensityCell(l?.value ?? null, l?.intensity ?? null) ?? ''
const padded = (n: number): string => `AU${String(n).padStart(2, '0')}`

/** The label columns of `classes` (in class order) and, per column, the class it reads. */
export function labelColumns(classes: LabelClass[], layout: LabelLayout): (LabelColumn & { code: string })[] {
  if (layout === 'workbench')
    return classes.flatMap((c) => [
      { code: c.code, header: c.code, cell: presence },
      ...(c.kind === 'au' ? [{ code: c.code, header: `${c.code}_r`, cell: intensity }] : []),
    ])
  const aus = classes.filter((c) => c.kind === 'au').sort((a, b) => (a.auNumber ?? 0) - (b.auNumber ?? 0))
  return [
    ...aus.map((c) => ({ code: c.code, header: `${padded(c.auNumber ?? 0)}_r`, cell: intensity })),
    ...aus.map((c) => ({ code: c.code, header: `${padded(c.auNumber ?? 0)}_c`, cell: presence })),
    ...classes.filter((c) => c.kind !== 'au').map((c) => ({ code: c.code, header: c.code, cell: presence })),
  ]
}

/** What the sidecar says about the label columns of a layout. */
export const LABEL_COLUMN_NOTES: Record<LabelLayout, Record<string, string>> = {
  workbench: {
    '<code>': '1 present, 0 absent, empty unknown (no label for this class on this image)',
    '<AU>_r':
      "FACS intensity: 0 absent, 1-5 = A-E (1 beside an absent AU: a dataset's trace below its presence threshold), empty unknown or present without a coded intensity",
  },
  openface: {
    'AU<nn>_r':
      "FACS intensity as OpenFace names it (but coded by people, in whole FACS levels): 0 absent, 1-5 = A-E (1 beside AU<nn>_c 0: a dataset's trace), empty unknown or not coded",
    'AU<nn>_c': '1 present, 0 absent, empty unknown',
    '<emotion code>': '1 present, 0 absent, empty unknown',
  },
}
