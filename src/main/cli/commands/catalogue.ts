import type { Command } from 'commander'
import type { LabelChange } from '../../../shared/contract'
import { CliExit, call, printJson } from '../call'
import { withWorkspace } from '../with-workspace'

interface WorkspaceOpt { workspace: string; json?: boolean }

/** `--set AU12=1 --set happy=?`: 1 present, 0 absent, ? or empty = clear to unknown. */
export function parseSet(text: string): { code: string; value: 0 | 1 | null } {
  const m = /^([^=]+)=(.*)$/.exec(text)
  if (!m) throw new CliExit(2, `--set ${text}: write CODE=VALUE, e.g. AU12=1, happy=0 or sad=? (unknown).`)
  const raw = m[2].trim()
  const value = raw === '1' ? 1 : raw === '0' ? 0 : raw === '?' || raw === '' ? null : undefined
  if (value === undefined) throw new CliExit(2, `--set ${text}: the value must be 1 (present), 0 (absent) or ? (unknown), not "${raw}".`)
  return { code: m[1].trim(), value }
}

const collect = (value: string, previous: string[] = []) => [...previous, value]

export function registerCatalogueCommands(program: Command): void {
  program
    .command('datasets')
    .description('the datasets of a workspace, their label spaces and split sizes')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action((opts: WorkspaceOpt) =>
      withWorkspace(opts, async (wb) => {
        const datasets = await call(wb, 'datasets.list', {})
        if (opts.json) return printJson(datasets)
        if (!datasets.length) return console.log('No datasets: import one with `affect import`.')
        for (const d of datasets) {
          console.log(`${d.name}  (${d.format}, ${d.images} images: ${d.splits.train} train / ${d.splits.val} val / ${d.splits.test} test)`)
          console.log(`  labels: ${d.classCodes.join(' ')}`)
          console.log(d.multiLabel ? '  several emotions may be present on one image (multi-label)' : '  one emotion per image')
        }
      }),
    )

  program
    .command('stats')
    .description('per dataset and class: images with the label present, absent and unknown')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action((opts: WorkspaceOpt) =>
      withWorkspace(opts, async (wb) => {
        const matrix = await call(wb, 'labels.availability', {})
        const stats = { datasets: matrix.datasets.map((d) => ({ name: d.name, images: d.images, labels: d.labels })) }
        if (opts.json) return printJson(stats)
        for (const d of stats.datasets) {
          console.log(`${d.name} (${d.images} images)`)
          for (const [code, c] of Object.entries(d.labels)) console.log(`  ${code.padEnd(24)} present ${String(c.present).padStart(7)}  absent ${String(c.absent).padStart(7)}  unknown ${String(c.unknown).padStart(7)}`)
        }
      }),
    )

  program
    .command('label')
    .description('set or clear labels of one image, for scripts (recorded in the label history)')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--image <id>', 'image id')
    .requiredOption('--set <code=value>', 'CODE=1 present, CODE=0 absent, CODE=? unknown (repeatable)', collect)
    .option('--reason <text>', 'why (kept in the history)', '')
    .option('--who <name>', 'who is making the change (default: the remembered annotator)')
    .option('--json', 'print JSON')
    .action((opts: WorkspaceOpt & { image: string; set: string[]; reason: string; who?: string }) =>
      withWorkspace(opts, async (wb) => {
        const imageId = Number(opts.image)
        if (!Number.isInteger(imageId) || imageId < 1) throw new CliExit(2, `--image must be an image id (a positive whole number), not "${opts.image}".`)
        const changes: LabelChange[] = opts.set.map((s) => ({ imageId, ...parseSet(s) }))
        const result = await call(wb, 'labels.edit', { changes, reason: opts.reason, who: opts.who ?? wb.ctx.settings.annotator ?? process.env.USER ?? 'cli' })
        if (opts.json) return printJson(result)
        console.log(result.changed ? `Changed ${result.changed} label(s) of image ${imageId} (edit ${result.editId}).` : `Image ${imageId} already had those labels.`)
      }),
    )
}
