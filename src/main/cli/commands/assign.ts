import type { Command } from 'commander'
import { z } from 'zod'
import { call, CliExit, printJson } from '../call'
import { commaList, numberOption } from '../options'
import { withWorkspace } from '../with-workspace'

// `affect assign --dataset X --coders a,b --images N|--percent P [--seed S]`: double-code a sample.

interface AssignOptions {
  workspace: string
  dataset?: string
  coders?: string[]
  images?: number
  percent?: number
  seed: number
  list?: boolean
  json?: boolean
}

export function registerAssign(program: Command): void {
  program
    .command('assign')
    .description(
      'assign a random sample of a dataset (stratified by its labels, seeded) to coders to code blind; --list shows progress',
    )
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--dataset <name>', 'dataset to sample')
    .option('--coders <a,b>', 'coders who each code the whole sample', commaList)
    .option('--images <n>', 'how many images', numberOption('--images', z.number().int().positive()))
    .option('--percent <p>', 'or what percentage of the dataset', numberOption('--percent', z.number().gt(0).max(100)))
    .option(
      '--seed <n>',
      'random seed (the same seed gives the same sample)',
      numberOption('--seed', z.number().int().min(0)),
      1,
    )
    .option('--list', 'list the assignments with each coder’s progress instead')
    .option('--json', 'print JSON')
    .action((opts: AssignOptions) =>
      withWorkspace(opts, async (wb) => {
        if (opts.list) {
          const list = await call(wb, 'assignments.list', {})
          if (opts.json) return printJson(list)
          for (const a of list)
            console.log(
              `${a.id}: ${a.images} images of ${a.dataset} (seed ${a.seed}); ${a.progress.map((p) => `${p.coder} ${p.committed}/${p.total}`).join(', ')}`,
            )
          return
        }
        if (!opts.dataset || !opts.coders?.length)
          throw new CliExit(2, 'affect assign needs --dataset NAME and --coders a,b (or --list).')
        const assignment = await call(wb, 'assignments.create', {
          dataset: opts.dataset,
          coders: opts.coders,
          images: opts.images,
          percent: opts.percent,
          seed: opts.seed,
        })
        if (opts.json) return printJson(assignment)
        console.log(
          `Assignment ${assignment.id}: ${assignment.images} images of ${assignment.dataset} for ${opts.coders.join(', ')} (seed ${assignment.seed}).`,
        )
      }),
    )
}
