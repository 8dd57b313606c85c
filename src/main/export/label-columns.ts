import type { LabelLayout } from '../../shared/contract'
import type { LabelClass } from '../../shared/labels'
import type { CsvCell } from './csv-file'
import { intensityOf, openFaceAuColumns, OPENFACE_COLUMN_NOTES, presenceCell, type KnownLabel } from './openface-layout'

// The label columns of the labels export, in two layouts:
// - workbench: one column per class named by its code (1 present, 0 absent, empty unknown), and
//   `<AU>_r` after each AU (0 absent, 1-5 = A-E, empty unknown or not coded); the csv importer
//   reads this layout back.
// - openface: OpenFace's AU columns (openface-layout.ts), then the emotions and compounds under
//   their codes.

export type { KnownLabel, LabelLayout }

interface LabelColumn {
  header: string
  cell: (label: KnownLabel | undefined) => CsvCell
}

/** The label columns of `classes` (in class order) and, per column, the class it reads. */
export function labelColumns(classes: LabelClass[], layout: LabelLayout): (LabelColumn & { code: string })[] {
  if (layout === 'workbench')
    return classes.flatMap((c) => [
      { code: c.code, header: c.code, cell: presenceCell },
      ...(c.kind === 'au' ? [{ code: c.code, header: `${c.code}_r`, cell: intensityOf }] : []),
    ])
  return [
    ...openFaceAuColumns(classes),
    ...classes.filter((c) => c.kind !== 'au').map((c) => ({ code: c.code, header: c.code, cell: presenceCell })),
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
    'AU<nn>_r': OPENFACE_COLUMN_NOTES['AU<nn>_r'],
    'AU<nn>_c': OPENFACE_COLUMN_NOTES['AU<nn>_c'],
    '<emotion code>': '1 present, 0 absent, empty unknown',
  },
}
