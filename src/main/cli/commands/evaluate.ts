import type { Command } from 'commander'
import { methods } from '../../../shared/contract'
import { call, printJson } from '../call'
import { printEvaluation } from '../evaluation-table'
import { commaList, numberOption, textOption } from '../options'
import { withWorkspace } from '../with-workspace'

const field = methods['runs.evaluate'].input.shape

interface EvaluateOptions {
  workspace: string
  run: number
  split: 'train' | 'val' | 'test'
  datasets?: string[]
  json?: boolean
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description("score a run's predictions on a split (per-class accuracy, F1, confusion, AUs by emotion)")
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--run <id>', 'run id', numberOption('--run', field.id))
    .option('--split <s>', 'train | val | test', textOption('--split', field.split), 'test')
    .option('--datasets <a,b>', "only these datasets (default: the run's own and any other it predicted)", commaList)
    .option('--json', 'print JSON')
    .action((opts: EvaluateOptions) =>
      withWorkspace(opts, async (wb) => {
        const evaluation = await call(wb, 'runs.evaluate', {
          id: opts.run,
          split: opts.split,
          ...(opts.datasets?.length ? { datasets: opts.datasets } : {}),
        })
        if (opts.json) return printJson(evaluation)
        printEvaluation(evaluation)
      }),
    )
}
