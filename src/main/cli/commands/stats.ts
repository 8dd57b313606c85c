import type { Command } from 'commander'
import { call, printJson } from '../call'
import { withWorkspace } from '../with-workspace'

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description(
      'per dataset and class: images with the label present, absent and unknown; pictures leaking between the splits of datasets',
    )
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action((opts: { workspace: string; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const matrix = await call(wb, 'labels.availability', {})
        const leakage = await call(wb, 'faces.leakage', {})
        const stats = {
          datasets: matrix.datasets.map((d) => ({ name: d.name, images: d.images, labels: d.labels })),
          leakage,
        }
        if (opts.json) return printJson(stats)
        for (const d of stats.datasets) {
          console.log(`${d.name} (${d.images} images)`)
          for (const [code, c] of Object.entries(d.labels))
            console.log(
              `  ${code.padEnd(24)} present ${String(c.present).padStart(7)}  absent ${String(c.absent).padStart(7)}  unknown ${String(c.unknown).padStart(7)}`,
            )
        }
        if (leakage.pictures) {
          console.log(
            `Leakage: ${leakage.pictures} pictures are in a training split of one dataset and a validation or test split of another:`,
          )
          for (const l of leakage.examples.slice(0, 10)) console.log(`  ${l.train} (train) = ${l.heldOut} (held out)`)
        }
      }),
    )
}
