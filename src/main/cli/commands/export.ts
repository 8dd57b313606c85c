import type { Command } from 'commander'
import { LABEL_LAYOUTS, methods } from '../../../shared/contract'
import { datasetIdsByName } from '../../export/dataset-filter'
import { exportCodings } from '../../export/codings-csv'
import { exportLabelEdits } from '../../export/label-edits-csv'
import { exportLabels } from '../../export/labels-csv'
import { exportPredictions } from '../../export/predictions-csv'
import { exportAuEvents, exportVideoFrames } from '../../export/video-csv'
import { CliExit } from '../call'
import { commaList, numberOption } from '../options'
import { progressBar } from '../progress'
import { withWorkspace } from '../with-workspace'

const field = methods['exports.create'].input.shape
const WHAT = ['predictions', 'labels', 'label-edits', 'codings', 'events', 'frames']

interface ExportOptions {
  workspace: string
  out: string
  run?: number
  datasets?: string[]
  threshold: number
  columns: string
  video?: number[]
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      "export as CSV: predictions of a run, the labels (unknown left empty), the label edit log, every coder's codes, videos' AU events, or video frames in OpenFace's layout",
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
    .option(
      '--columns <layout>',
      'labels: workbench (class codes, AU12_r beside AU12) or openface (AU01_r, AU01_c, frame... to join with OpenFace output)',
      'workbench',
    )
    .option('--video <ids>', 'events, frames: only these video ids (default: every video)', (t: string) =>
      commaList(t).map((id) => numberOption('--video', field.runId)(id)),
    )
    .action((what: string, opts: ExportOptions) =>
      withWorkspace(opts, async (wb) => {
        if (!WHAT.includes(what)) throw new CliExit(2, `affect export ${what}: unknown export; use ${WHAT.join(', ')}.`)
        if (what === 'predictions' && opts.run === undefined)
          throw new CliExit(2, 'affect export predictions needs --run ID.')
        const columns = field.columns.safeParse(opts.columns)
        if (!columns.success) throw new CliExit(2, `--columns ${opts.columns}: use ${LABEL_LAYOUTS.join(' or ')}.`)
        const db = wb.ctx.requireWorkspace().db
        if (what === 'events' || what === 'frames') {
          const filter = { videoIds: opts.video }
          const out =
            what === 'events'
              ? await exportAuEvents(db, opts.out, filter)
              : await exportVideoFrames(db, opts.out, filter)
          return console.log(`Wrote ${out.rows} rows to ${out.file}`)
        }
        const datasetIds = datasetIdsByName(db, opts.datasets)
        const bar = progressBar('Exporting')
        const onProgress = (d: number, t: number) => bar.update(d, t)
        let result
        try {
          result =
            what === 'predictions'
              ? await exportPredictions(db, opts.run!, opts.out, { threshold: opts.threshold, datasetIds, onProgress })
              : what === 'labels'
                ? await exportLabels(db, opts.out, { datasetIds, columns: columns.data, onProgress })
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
