import type { Command } from 'commander'
import { methods } from '../../../shared/contract'
import { datasetIdsByName } from '../../export/dataset-filter'
import { exportCodings } from '../../export/codings-csv'
import { exportLabelEdits } from '../../export/label-edits-csv'
import { exportLabels } from '../../export/labels-csv'
import { exportPredictions } from '../../export/predictions-csv'
import { CliExit } from '../call'
import { commaList, numberOption } from '../options'
import { progressBar } from '../progress'
import { withWorkspace } from '../with-workspace'

const field = methods['exports.create'].input.shape
const WHAT = ['predictions', 'labels', 'label-edits', 'codings']

interface ExportOptions {
  workspace: string
  out: string
  run?: number
  datasets?: string[]
  threshold: number
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      "export as CSV: predictions of a run, the labels (unknown left empty), the label edit log, or every coder's codes",
    )
    .argument('<what>', WHAT.join(' | '))
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption(
      '--out <file.csv>',
      'CSV file to write (predictions and labels: a .json sidecar is written beside it)',
    )
    .option('--run <id>', 'run id (for predictions)', numberOption('--run', field.runId))
    .option('--datasets <a,b>', 'only these datasets (default: all)', commaList)
    .option(
      '--threshold <p>',
      'AU presence threshold for the AU<n>_c columns',
      numberOption('--threshold', field.threshold),
      0.5,
    )
    .action((what: string, opts: ExportOptions) =>
      withWorkspace(opts, async (wb) => {
        if (!WHAT.includes(what))
          throw new CliExit(
            2,
            `affect export ${what}: unknown export; use predictions, labels, label-edits or codings.`,
          )
        if (what === 'predictions' && opts.run === undefined)
          throw new CliExit(2, 'affect export predictions needs --run ID.')
        const db = wb.ctx.requireWorkspace().db
        const datasetIds = datasetIdsByName(db, opts.datasets)
        const bar = progressBar('Exporting')
        const onProgress = (d: number, t: number) => bar.update(d, t)
        let result
        try {
          result =
            what === 'predictions'
              ? await exportPredictions(db, opts.run!, opts.out, { threshold: opts.threshold, datasetIds, onProgress })
              : what === 'labels'
                ? await exportLabels(db, opts.out, { datasetIds, onProgress })
                : what === 'codings'
                  ? { ...(await exportCodings(db, opts.out, { datasetIds, onProgress })), sidecar: null }
                  : { ...(await exportLabelEdits(db, opts.out, { datasetIds, onProgress })), sidecar: null }
        } finally {
          bar.stop()
        }
        console.log(`Wrote ${result.rows} rows to ${result.file}${result.sidecar ? ` (and ${result.sidecar})` : ''}`)
      }),
    )
}
