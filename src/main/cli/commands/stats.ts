import type { Command } from 'commander'
import { call, printJson } from '../call'
import { withWorkspace } from '../with-workspace'

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('per dataset and class: images with the label present, absent and unknown')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action((opts: { workspace: string; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const matrix = await call(wb, 'labels.availability', {})
        const stats = { datasets: matrix.datasets.map((d) => ({ name: d.name, images: d.images, labels: d.labels })) }
        if (opts.json) return printJson(stats)
        for (const d of stats.datasets) {
          console.log(`${d.name} (${d.images} images)`)
          for (const [code, c] of Object.entries(d.labels))
            console.log(
              `  ${code.padEnd(24)} present ${String(c.present).padStart(7)}  absent ${String(c.absent).padStart(7)}  unknown ${String(c.unknown).padStart(7)}`,
            )
        }
      }),
    )
}
