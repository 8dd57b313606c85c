import type { Command } from 'commander'
import {
  BACKENDS,
  DEFAULT_LANDMARK_WEIGHT,
  NETWORKS,
  RunConfigSchema,
  TRAINING_METHODS,
  perClassLimitInWords,
  type RunConfigInput,
} from '../../../shared/run-config'
import { CliExit, call } from '../call'
import { followRun, printRunEnd } from '../follow-run'
import { commaList, numberOption, textOption } from '../options'
import { withWorkspace } from '../with-workspace'

const field = RunConfigSchema.shape

interface TrainOptions {
  workspace: string
  method: RunConfigInput['method']
  net: RunConfigInput['network']
  backend: RunConfigInput['backend']
  threads?: number
  datasets?: string[]
  task?: RunConfigInput['task']
  steps?: number
  epochs?: number
  batch?: number
  lr?: number
  inputSize?: number
  validateEvery?: number
  checkpointEvery?: number
  initFrom?: string
  flip?: boolean
  landmarks?: boolean
  landmarkWeight?: number
  perClassLimit?: Record<string, number>
  seed?: number
  name?: string
  json?: boolean
}

/** The run config the options ask for: only what was given, the rest left to the paper's defaults. */
function configOf(opts: TrainOptions): RunConfigInput {
  return {
    method: opts.method,
    network: opts.net,
    backend: opts.backend,
    ...(opts.datasets ? { datasets: opts.datasets } : {}),
    ...(opts.task ? { task: opts.task } : {}),
    ...(opts.steps !== undefined ? { steps: opts.steps } : {}),
    ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
    ...(opts.batch !== undefined ? { batchSize: opts.batch } : {}),
    ...(opts.lr !== undefined ? { learningRate: opts.lr } : {}),
    ...(opts.inputSize !== undefined ? { inputSize: opts.inputSize } : {}),
    ...(opts.validateEvery !== undefined ? { validateEvery: opts.validateEvery } : {}),
    ...(opts.checkpointEvery !== undefined ? { checkpointEvery: opts.checkpointEvery } : {}),
    ...(opts.initFrom ? { initFrom: opts.initFrom } : {}),
    ...(opts.flip ? { augmentation: { horizontalFlip: true } } : {}),
    ...(opts.landmarks ? { landmarks: true } : {}),
    ...(opts.landmarkWeight !== undefined ? { landmarkWeight: opts.landmarkWeight } : {}),
    ...(opts.perClassLimit ? { perClassLimit: opts.perClassLimit } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
  }
}

/** `demo-compound=15,other=5` -> { 'demo-compound': 15, other: 5 }; the numbers are checked with the run config. */
function perClassLimits(text: string): Record<string, number> {
  return Object.fromEntries(
    commaList(text).map((entry) => {
      const [dataset, count, ...rest] = entry.split('=').map((s) => s.trim())
      if (!dataset || count === undefined || rest.length)
        throw new CliExit(2, `--per-class-limit: give DATASET=N (e.g. demo-compound=15), not "${entry}".`)
      return [dataset, count === '' ? Number.NaN : Number(count)]
    }),
  )
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a network (sjmt, multitask or single) in a trainer process')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--method <m>', TRAINING_METHODS.join(' | '), textOption('--method', field.method), 'sjmt')
    .option('--net <name>', NETWORKS.join(' | '), textOption('--net', field.network), 'resnet-20')
    .option('--datasets <a,b>', 'datasets to train on (default: all)', commaList)
    .option('--task <emotion|au>', 'for --method single: which task of the dataset', textOption('--task', field.task))
    .option('--steps <n>', 'training steps', numberOption('--steps', field.steps))
    .option('--epochs <n>', 'epochs (instead of steps)', numberOption('--epochs', field.epochs))
    .option('--batch <n>', 'batch size (paper: 128)', numberOption('--batch', field.batchSize))
    .option('--lr <x>', 'learning rate (paper: 0.05)', numberOption('--lr', field.learningRate))
    .option('--input-size <n>', 'input size in pixels (paper: 32)', numberOption('--input-size', field.inputSize))
    .option('--validate-every <n>', 'validate every N steps', numberOption('--validate-every', field.validateEvery))
    .option(
      '--checkpoint-every <n>',
      'checkpoint every N steps',
      numberOption('--checkpoint-every', field.checkpointEvery),
    )
    .option('--init-from <run>', 'start from the weights of another run')
    .option('--flip', 'add horizontal flips to the augmentation')
    .option('--landmarks', "also learn the 68 facial landmarks where they are known (the paper's future work)")
    .option(
      '--landmark-weight <x>',
      `weight of the landmark loss (default ${DEFAULT_LANDMARK_WEIGHT})`,
      numberOption('--landmark-weight', field.landmarkWeight),
    )
    .option(
      '--per-class-limit <d=n,...>',
      'few-shot: at most N training images per class of dataset D, chosen by the seed (e.g. demo-compound=15)',
      perClassLimits,
    )
    .option('--backend <b>', BACKENDS.join(' | '), textOption('--backend', field.backend), 'auto')
    .option(
      '--threads <n>',
      'CPU threads: data-parallel workers on wasm, TensorFlow threads on native (default: all cores)',
      numberOption('--threads', field.threads),
    )
    .option('--seed <n>', 'seed', numberOption('--seed', field.seed))
    .option('--name <text>', 'run name')
    .option('--json', 'JSON lines; the last one has runId and status')
    .action((opts: TrainOptions) =>
      withWorkspace({ workspace: opts.workspace }, async (wb) => {
        // Each option was checked on its own; the rules between them (single: one dataset) here.
        const parsed = RunConfigSchema.safeParse(configOf(opts))
        if (!parsed.success)
          throw new CliExit(
            2,
            parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('\n'),
          )
        const run = await call(wb, 'runs.start', { config: parsed.data, name: opts.name })
        if (!opts.json)
          console.log(
            `Run ${run.id} started: ${run.method} ${run.network} on ${run.datasets.join(', ')} (${run.trainImages} training images${parsed.data.perClassLimit ? `; ${perClassLimitInWords(parsed.data)}` : ''})`,
          )
        printRunEnd(await followRun(wb, run, !!opts.json), !!opts.json)
      }),
    )
}
