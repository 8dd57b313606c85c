import type { Command } from 'commander'
import { resolve } from 'node:path'
import {
  BUDGET_KINDS,
  ExperimentProtocolSchema,
  methods,
  type ExperimentDetail,
  type ExperimentProtocolInput,
  type ExperimentSummary,
} from '../../../shared/contract'
import { DEFAULT_LANDMARK_WEIGHT, NETWORKS, RunConfigSchema, TRAINING_METHODS } from '../../../shared/run-config'
import { DEFAULT_COMPOUND_PER_CLASS, EXPERIMENT_METHODS } from '../../../shared/contract/experiments'
import type { Workbench } from '../../app/assemble'
import { experimentEnded } from '../../experiments/experiments-service'
import { CliExit, call, printJson } from '../call'
import { printExperiment } from '../experiment-table'
import { commaList, numberOption, textOption } from '../options'
import { withWorkspace } from '../with-workspace'

const field = RunConfigSchema.shape
const protocolField = ExperimentProtocolSchema.shape

interface ExperimentOptions {
  workspace: string
  net: string
  steps: string
  budget: string
  batch: number
  size: 'small' | 'medium' | 'large'
  seed: number
  seeds: number
  methods: string
  lr?: string
  compound?: boolean
  compoundPerClass?: number
  landmarkWeight?: number
  id?: number
  json?: boolean
}

const minutes = (s: number | null): string =>
  s === null ? 'estimating' : s < 90 ? `about ${Math.round(s)} s left` : `about ${Math.round(s / 60)} min left`

/** A line per run on stderr: which, how long it took, how long is left. */
function followExperiment(wb: Workbench, id: number): () => void {
  const events = wb.ctx.events
  const offs = [
    events.on('experiment.run', (r) => {
      if (r.experimentId !== id) return
      const what = `${r.role}, budget ${r.budget}, seed ${r.seed}, learning rate ${r.learningRate}${r.search ? ' (search)' : ''}`
      const left = wb.router.call('experiments.list', {})
      void left.then((res) => {
        const e = res.ok ? (res.value as ExperimentSummary[]).find((x) => x.id === id) : undefined
        console.error(
          `run ${r.index}/${r.total}: ${what}: run ${r.runId} in ${Math.round(r.seconds)} s; ${minutes(e?.secondsLeft ?? null)}`,
        )
      })
    }),
  ]
  const stop = () => void call(wb, 'experiments.stop', { id }).catch(() => undefined)
  process.once('SIGINT', stop)
  return () => {
    process.off('SIGINT', stop)
    for (const off of offs) off()
  }
}

/** Runs an experiment to its end here, printing a line per run; a failed experiment exits with 1. */
async function runToEnd(wb: Workbench, started: ExperimentSummary, json: boolean): Promise<void> {
  console.error(
    `Experiment ${started.id}: ${started.name}; ${started.total} runs (Ctrl+C stops; affect experiment resume goes on)`,
  )
  const unfollow = followExperiment(wb, started.id)
  let ended: ExperimentSummary
  try {
    ended = await experimentEnded(wb.ctx, started.id)
  } finally {
    unfollow()
  }
  const detail: ExperimentDetail = await call(wb, 'experiments.get', { id: started.id })
  if (json) printJson(detail)
  else printExperiment(detail)
  if (ended.status !== 'finished')
    throw new CliExit(
      1,
      `Experiment ${ended.id} ${ended.status}${ended.statusReason ? `: ${ended.statusReason}` : ''}; affect experiment resume --workspace DIR --id ${ended.id} goes on from there.`,
    )
}

/** The protocol from the options, checked by the contract's schema; a refusal names the option. */
function protocolOf(opts: ExperimentOptions): ExperimentProtocolInput {
  const numbers = (flag: string, text: string): number[] =>
    commaList(text).map((t) => numberOption(flag, flag === '--lr' ? field.learningRate : field.steps)(t))
  const unknown = commaList(opts.methods).filter((m) => !(EXPERIMENT_METHODS as readonly string[]).includes(m))
  if (unknown.length)
    throw new CliExit(
      2,
      `--methods: unknown method ${unknown.map((m) => `"${m}"`).join(', ')}; use ${EXPERIMENT_METHODS.join(', ')}.`,
    )
  if (!(BUDGET_KINDS as readonly string[]).includes(opts.budget))
    throw new CliExit(2, `--budget must be ${BUDGET_KINDS.join(' or ')}, not "${opts.budget}".`)
  if (opts.compoundPerClass !== undefined && !opts.compound)
    throw new CliExit(2, '--compound-per-class: it sets how many compound faces Table 4 trains on: add --compound.')
  const input = {
    methods: commaList(opts.methods),
    seeds: opts.seeds,
    firstSeed: opts.seed,
    budgets: numbers('--steps', opts.steps),
    budgetKind: opts.budget,
    batchSize: opts.batch,
    network: opts.net,
    learningRates: opts.lr ? numbers('--lr', opts.lr) : undefined,
    compound: opts.compound ?? false,
    compoundPerClass: opts.compoundPerClass,
    landmarkWeight: opts.landmarkWeight,
  }
  const result = ExperimentProtocolSchema.safeParse(input)
  if (result.success) return input as ExperimentProtocolInput
  const flags: Record<string, string> = {
    methods: '--methods',
    budgets: '--steps',
    budgetKind: '--budget',
    learningRates: '--lr',
    landmarkWeight: '--landmark-weight',
    compoundPerClass: '--compound-per-class',
  }
  const issue = result.error.issues[0]
  const flag = flags[String(issue.path[0])] ?? `--${String(issue.path[0])}`
  throw new CliExit(2, `${flag}: ${issue.message}`)
}

async function paper(opts: ExperimentOptions): Promise<void> {
  const protocol = protocolOf(opts)
  await withWorkspace({}, async (wb) => {
    await call(wb, 'demo.create', { path: resolve(opts.workspace), size: opts.size, seed: opts.seed })
    const started = await call(wb, 'experiments.start', { protocol })
    await runToEnd(wb, started, opts.json ?? false)
  })
}

async function resume(opts: ExperimentOptions): Promise<void> {
  await withWorkspace({ workspace: resolve(opts.workspace) }, async (wb) => {
    const all = await call(wb, 'experiments.list', {})
    const id = opts.id ?? all.find((e) => e.status === 'stopped' || e.status === 'failed')?.id
    if (id === undefined) throw new CliExit(1, 'No stopped or failed experiment in this workspace to resume.')
    await runToEnd(wb, await call(wb, 'experiments.resume', { id }), opts.json ?? false)
  })
}

async function show(opts: ExperimentOptions): Promise<void> {
  await withWorkspace({ workspace: resolve(opts.workspace) }, async (wb) => {
    const id = opts.id ?? (await call(wb, 'experiments.list', {}))[0]?.id
    if (id === undefined) throw new CliExit(1, 'No experiment in this workspace yet.')
    const detail = await call(wb, 'experiments.get', { id })
    if (opts.json) printJson(detail)
    else printExperiment(detail)
  })
}

export function registerExperiment(program: Command): void {
  program
    .command('experiment')
    .description(
      "the paper's comparison on the demo data (Tables 2 and 4, Fig. 2 score): single networks, classical multi-task and SJMT over several seeds and budgets, learning rates chosen on validation, means with 95% intervals and paired differences",
    )
    .argument('<action>', 'paper (run a new experiment) | resume (go on with a stopped one) | show (print one)')
    .requiredOption(
      '-w, --workspace <dir>',
      'workspace folder (paper: the demo datasets are created or refreshed in it)',
    )
    .option('--seeds <k>', 'training seeds per method', numberOption('--seeds', protocolField.seeds), 5)
    .option('--steps <a,b,c>', 'budgets, in steps of one network (several give a curve per metric)', '1200')
    .option(
      '--budget <kind>',
      `${BUDGET_KINDS.join(' | ')}: the same steps per network, or the same training images per method (single networks share them)`,
      'steps',
    )
    .option('--methods <list>', `methods to compare: ${EXPERIMENT_METHODS.join(', ')}`, TRAINING_METHODS.join(','))
    .option('--compound', 'also Table 4: compound emotions from few examples, single network vs SJMT')
    .option(
      '--compound-per-class <n>',
      `with --compound: training faces per compound emotion, chosen by each run's seed (default ${DEFAULT_COMPOUND_PER_CLASS}, as the paper)`,
      numberOption('--compound-per-class', protocolField.compoundPerClass.unwrap().unwrap()),
    )
    .option(
      '--lr <list>',
      'learning rates tried on the first seed and chosen on the validation split (one value: no search)',
    )
    .option(
      '--landmark-weight <x>',
      `weight of the landmark loss in the sjmt+landmarks runs (default ${DEFAULT_LANDMARK_WEIGHT})`,
      numberOption('--landmark-weight', field.landmarkWeight),
    )
    .option('--net <name>', NETWORKS.join(' | '), 'resnet-8')
    .option('--batch <n>', 'batch size', numberOption('--batch', field.batchSize), 32)
    .option(
      '--size <s>',
      'demo size: small | medium | large',
      textOption('--size', methods['demo.create'].input.shape.size),
      'medium',
    )
    .option('--seed <n>', 'seed of the demo data and the first training seed', numberOption('--seed', field.seed), 1)
    .option(
      '--id <n>',
      'resume / show: the experiment (default: the latest stopped one / the latest)',
      numberOption('--id', field.seed),
    )
    .option('--json', 'print the results as JSON (rows[].metrics.<name>.mean, .ci95, .values; differences[])')
    .action(async (action: string, opts: ExperimentOptions) => {
      if (action === 'paper') return paper(opts)
      if (action === 'resume') return resume(opts)
      if (action === 'show') return show(opts)
      throw new CliExit(2, `affect experiment ${action}: unknown action; use paper, resume or show.`)
    })
}
