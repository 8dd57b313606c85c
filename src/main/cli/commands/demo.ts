import type { Command } from 'commander'
import { resolve } from 'node:path'
import { methods } from '../../../shared/contract'
import { RunConfigSchema } from '../../../shared/run-config'
import { renderContactSheet } from '../../demo/contact-sheet'
import { CliExit, call, printJson } from '../call'
import { demoTour } from '../demo-tour'
import { numberOption, textOption } from '../options'
import { progressBar } from '../progress'
import { withWorkspace } from '../with-workspace'

const field = methods['demo.create'].input.shape

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'create or refresh a workspace with generated demo faces (emotion-only, AU-only, compound), or draw their contact sheet',
    )
    .option('-w, --workspace <dir>', 'workspace folder to create or refresh')
    .option(
      '--size <s>',
      'small (a few hundred faces) | medium (about 3,000) | large (about 30,000)',
      textOption('--size', field.size),
      'medium',
    )
    .option('--seed <n>', 'seed: the same seed gives byte-identical faces', numberOption('--seed', field.seed), 1)
    .option('--sheet <file.png>', 'instead: write a labelled contact sheet of the faces')
    .option('--train', 'then train a short SJMT run, evaluate it, export its predictions')
    .option('--steps <n>', 'with --train: training steps', numberOption('--steps', RunConfigSchema.shape.steps), 1200)
    .option('--open', 'with --train: then open the workbench on the workspace')
    .option('--json', 'print JSON')
    .action((opts: DemoOptions) => (opts.train ? runTour(opts) : runDemo(opts)))
}

interface DemoOptions {
  workspace?: string
  size: 'small' | 'medium' | 'large'
  seed: number
  sheet?: string
  json?: boolean
  train?: boolean
  steps: number
  open?: boolean
}

function runTour(opts: DemoOptions): Promise<void> {
  return demoTour({
    workspace: opts.workspace ?? 'demo-workspace',
    size: opts.size,
    seed: opts.seed,
    steps: opts.steps,
    open: !!opts.open,
  })
}

async function runDemo(opts: DemoOptions): Promise<void> {
  const seed = opts.seed
  if (opts.sheet) {
    await renderContactSheet(resolve(opts.sheet), { seed })
    return console.log(`Wrote ${resolve(opts.sheet)}`)
  }
  const workspace = opts.workspace
  if (!workspace) throw new CliExit(2, 'affect demo needs --workspace DIR (or --sheet FILE.png).')
  await withWorkspace({}, async (wb) => {
    const bar = progressBar('Demo faces')
    const off = wb.ctx.events.on('demo.progress', (p) => bar.update(p.done, p.total, p.phase))
    try {
      const result = await call(wb, 'demo.create', { path: resolve(workspace), size: opts.size, seed })
      bar.stop()
      if (opts.json) return printJson(result)
      console.log(
        `Demo workspace ${result.workspace.path}: ${result.faces} faces (seed ${result.seed}, ${result.size})`,
      )
      for (const r of result.reports)
        console.log(
          `  ${r.dataset}: ${r.imported} imported, ${r.alreadyImported} already there, ${r.skipped} skipped; labels ${r.labelSpace.join(' ')}`,
        )
    } finally {
      off()
      bar.stop()
    }
  })
}
