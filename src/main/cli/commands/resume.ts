import type { Command } from 'commander'
import { methods } from '../../../shared/contract'
import { call } from '../call'
import { followRun, printRunEnd } from '../follow-run'
import { numberOption } from '../options'
import { withWorkspace } from '../with-workspace'

export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('resume a stopped or failed run from its last checkpoint')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--run <id>', 'run id', numberOption('--run', methods['runs.resume'].input.shape.id))
    .option('--json', 'JSON lines; the last one has runId and status')
    .action((opts: { workspace: string; run: number; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const run = await call(wb, 'runs.resume', { id: opts.run })
        printRunEnd(await followRun(wb, run, !!opts.json), !!opts.json)
      }),
    )
}
