import type { Command } from 'commander'
import { methods } from '../../../shared/contract'
import { BACKENDS } from '../../../shared/run-config'
import { call } from '../call'
import { followRun, printRunEnd } from '../follow-run'
import { numberOption, textOption } from '../options'
import { withWorkspace } from '../with-workspace'

const resume = methods['runs.resume'].input.shape

export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('resume a stopped or failed run from its last checkpoint')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--run <id>', 'run id', numberOption('--run', resume.id))
    .option(
      '--backend <b>',
      `continue on another backend: ${BACKENDS.join(' | ')} (default: the run's own)`,
      textOption('--backend', resume.backend),
    )
    .option('--json', 'JSON lines; the last one has runId and status')
    .action((opts: { workspace: string; run: number; backend?: (typeof BACKENDS)[number]; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const run = await call(wb, 'runs.resume', { id: opts.run, ...(opts.backend ? { backend: opts.backend } : {}) })
        printRunEnd(await followRun(wb, run, !!opts.json), !!opts.json)
      }),
    )
}
