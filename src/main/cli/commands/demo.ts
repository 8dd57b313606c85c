import type { Command } from 'commander'
import { resolve } from 'node:path'
import { renderContactSheet } from '../../demo/contact-sheet'
import { CliExit, call, printJson } from '../call'
import { progressBar } from '../progress'
import { withWorkspace } from '../with-workspace'
import { demoTour } from './demo-tour'

const SIZES = ['small', 'medium', 'large']

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('create or refresh a workspace with generated demo faces (emotion-only, AU-only, compound), or draw their contact sheet')
    .option('-w, --workspace <dir>', 'workspace folder to create or refresh')
    .option('--size <s>', 'small (a few hundred faces) | medium (about 3,000) | large (about 30,000)', 'medium')
    .option('--seed <n>', 'seed: the same seed gives byte-identical faces', '1')
    .option('--sheet <file.png>', 'instead: write a labelled contact sheet of the faces')
    .option('--train', 'then train a short SJMT run, evaluate it, export its predictions')
    .option('--steps <n>', 'with --train: training steps', '1200')
    .option('--open', 'with --train: then open the workbench on the workspace')
    .option('--json', 'print JSON')
    .action((opts: DemoOptions) => (opts.train ? runTour(opts) : runDemo(opts)))
}

interface DemoOptions { workspace?: string; size: string; seed: string; sheet?: string; json?: boolean; train?: boolean; steps: string; open?: boolean }

function runTour(opts: DemoOptions): Promise<void> {
  const steps = Number(opts.steps)
  if (!Number.isInteger(steps) || steps < 1) throw new CliExit(2, `--steps must be a positive whole number, not "${opts.steps}".`)
  if (!SIZES.includes(opts.size)) throw new CliExit(2, `--size must be one of ${SIZES.join(', ')}, not "${opts.size}".`)
  return demoTour({ workspace: opts.workspace ?? 'demo-workspace', size: opts.size as never, seed: Number(opts.seed), steps, open: !!opts.open })
}

async function runDemo(opts: DemoOptions): Promise<void> {
  const seed = Number(opts.seed)
  if (!Number.isInteger(seed) || seed < 0) throw new CliExit(2, `--seed must be a whole number, not "${opts.seed}".`)
  if (opts.sheet) {
    await renderContactSheet(resolve(opts.sheet), { seed })
    return console.log(`Wrote ${resolve(opts.sheet)}`)
  }
  if (!opts.workspace) throw new CliExit(2, 'affect demo needs --workspace DIR (or --sheet FILE.png).')
  if (!SIZES.includes(opts.size)) throw new CliExit(2, `--size must be one of ${SIZES.join(', ')}, not "${opts.size}".`)
  await withWorkspace({}, async (wb) => {
    const bar = progressBar('Demo faces')
    const off = wb.ctx.events.subscribe((event, payload) => {
      if (event === 'demo.progress') {
        const p = payload as { phase: string; done: number; total: number }
        bar.update(p.done, p.total, p.phase)
      }
    })
    try {
      const result = await call(wb, 'demo.create', { path: resolve(opts.workspace!), size: opts.size as never, seed })
      bar.stop()
      if (opts.json) return printJson(result)
      console.log(`Demo workspace ${result.workspace.path}: ${result.faces} faces (seed ${result.seed}, ${result.size})`)
      for (const r of result.reports) console.log(`  ${r.dataset}: ${r.imported} imported, ${r.alreadyImported} already there, ${r.skipped} skipped; labels ${r.labelSpace.join(' ')}`)
    } finally {
      off()
      bar.stop()
    }
  })
}
