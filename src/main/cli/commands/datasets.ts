import type { Command } from 'commander'
import { call, printJson } from '../call'
import { withWorkspace } from '../with-workspace'

export function registerDatasets(program: Command): void {
  program
    .command('datasets')
    .description('the datasets of a workspace, their label spaces and split sizes')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action((opts: { workspace: string; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const datasets = await call(wb, 'datasets.list', {})
        if (opts.json) return printJson(datasets)
        if (!datasets.length) return console.log('No datasets: import one with `affect import`.')
        for (const d of datasets) {
          console.log(
            `${d.name}  (${d.format}, ${d.images} images: ${d.splits.train} train / ${d.splits.val} val / ${d.splits.test} test)`,
          )
          console.log(`  labels: ${d.classCodes.join(' ')}`)
          console.log(
            d.multiLabel ? '  several emotions may be present on one image (multi-label)' : '  one emotion per image',
          )
        }
      }),
    )
}
