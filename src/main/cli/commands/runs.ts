import type { Command } from 'commander'
import { call, printJson } from '../call'
import { withWorkspace } from '../with-workspace'

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('the training runs of a workspace')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action((opts: { workspace: string; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const runs = await call(wb, 'runs.list', {})
        if (opts.json) return printJson(runs)
        if (!runs.length) return console.log('No runs yet: start one with `affect train`.')
        for (const r of runs) {
          const latest = Object.entries(r.latest)
            .filter(([, v]) => v !== null)
            .map(([k, v]) => `${k} ${(v as number).toFixed(3)}`)
            .join(', ')
          console.log(
            `${String(r.id).padStart(4)}  ${r.status.padEnd(9)} ${r.method.padEnd(9)} ${r.network.padEnd(10)} ${r.step}/${r.totalSteps} steps  ${r.backend ?? '-'}  ${r.datasets.join(',')}  ${latest}`,
          )
        }
      }),
    )
}
