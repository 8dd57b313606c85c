import type { Command } from 'commander'
import type { RunSummary } from '../../../shared/contract'
import { BACKENDS, NETWORKS, RunConfigSchema, TRAINING_METHODS, type RunConfigInput } from '../../../shared/run-config'
import { datasetIdsByName } from '../../export/dataset-filter'
import { exportLabelEdits } from '../../export/label-edits-csv'
import { exportLabels } from '../../export/labels-csv'
import { exportPredictions } from '../../export/predictions-csv'
import { predictedImageCount } from '../../runs/prediction-store'
import { waitForTrainer } from '../../runs/runs-service'
import type { Workbench } from '../../app/assemble'
import { CliExit, call, printJson } from '../call'
import { progressBar } from '../progress'
import { withWorkspace } from '../with-workspace'
import { printEvaluation } from './evaluation-table'

const number = (name: string) => (value: string) => {
  const n = Number(value)
  if (!Number.isFinite(n)) throw new CliExit(2, `--${name} must be a number, not "${value}".`)
  return n
}

/** Follows a run until its trainer exits: a progress bar, or JSON lines with --json. */
export async function followRun(wb: Workbench, run: RunSummary, json: boolean): Promise<RunSummary> {
  const bar = progressBar(`Run ${run.id} ${run.method} ${run.network}`)
  const line = (value: unknown) => json && process.stdout.write(JSON.stringify(value) + '\n')
  const off = wb.ctx.events.subscribe((event, payload) => {
    const p = payload as { runId?: number; run?: RunSummary }
    if ((p.runId ?? p.run?.id) !== run.id) return
    if (event === 'run.progress') {
      const progress = payload as { step: number; totalSteps: number; loss: number; imagesPerSecond: number; etaSeconds: number }
      bar.update(progress.step, progress.totalSteps, `loss ${progress.loss.toFixed(4)} | ${progress.imagesPerSecond.toFixed(0)} img/s`)
      line({ event, ...progress })
    } else if (event === 'run.metrics' || event === 'run.log') line({ event, ...(payload as object) })
    else if (event === 'run.updated') line({ event, status: p.run!.status, backend: p.run!.backend, reason: p.run!.statusReason })
  })
  const stop = () => {
    if (wb.ctx.trainers.has(run.id)) void call(wb, 'runs.stop', { id: run.id }).catch(() => undefined)
  }
  process.once('SIGINT', stop)
  try {
    return await waitForTrainer(wb.ctx, run.id)
  } finally {
    process.off('SIGINT', stop)
    off()
    bar.stop()
  }
}

function finish(summary: RunSummary, json: boolean): void {
  if (json) process.stdout.write(JSON.stringify({ runId: summary.id, status: summary.status, reason: summary.statusReason, step: summary.step, backend: summary.backend, bestScore: summary.bestScore, latest: summary.latest, seconds: summary.seconds }) + '\n')
  else console.log(`Run ${summary.id}: ${summary.status}${summary.statusReason ? ` (${summary.statusReason})` : ''} after ${summary.step} steps on ${summary.backend ?? '?'} in ${summary.seconds.toFixed(0)} s; best score ${summary.bestScore ?? '-'}`)
  if (summary.status === 'failed') process.exitCode = 1
}

/** A prediction job's outcome: it never changes the run's status, so a failure is said (and the exit code is 1) here. */
function finishPrediction(run: RunSummary, outcome: { images: number; failure: string | null; total: number }, json: boolean): void {
  const { images, failure, total } = outcome
  if (json) process.stdout.write(JSON.stringify({ runId: run.id, status: run.status, prediction: { ok: failure === null, images, failure, imagesWithPredictions: total } }) + '\n')
  else if (failure) console.error(`Run ${run.id}: the prediction failed: ${failure} The run stays ${run.status}; its earlier predictions are kept.`)
  else console.log(`Run ${run.id} (${run.status}): predicted ${images} images; it now has predictions for ${total} images.`)
  if (failure) process.exitCode = 1
}

export function registerTrainingCommands(program: Command): void {
  program
    .command('train')
    .description('train a network (sjmt, multitask or single) in a trainer process')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--method <m>', TRAINING_METHODS.join(' | '), 'sjmt')
    .option('--net <name>', NETWORKS.join(' | '), 'resnet-20')
    .option('--datasets <a,b>', 'datasets to train on (default: all)')
    .option('--task <emotion|au>', 'for --method single: which task of the dataset')
    .option('--steps <n>', 'training steps', number('steps'))
    .option('--epochs <n>', 'epochs (instead of steps)', number('epochs'))
    .option('--batch <n>', 'batch size (paper: 128)', number('batch'))
    .option('--lr <x>', 'learning rate (paper: 0.05)', number('lr'))
    .option('--input-size <n>', 'input size in pixels (paper: 32)', number('input-size'))
    .option('--validate-every <n>', 'validate every N steps', number('validate-every'))
    .option('--checkpoint-every <n>', 'checkpoint every N steps', number('checkpoint-every'))
    .option('--init-from <run>', 'start from the weights of another run')
    .option('--flip', 'add horizontal flips to the augmentation')
    .option('--backend <b>', BACKENDS.join(' | '), 'auto')
    .option('--seed <n>', 'seed', number('seed'))
    .option('--name <text>', 'run name')
    .option('--json', 'JSON lines; the last one has runId and status')
    .action((opts: Record<string, string | number | boolean | undefined> & { workspace: string; json?: boolean }) =>
      withWorkspace({ workspace: opts.workspace }, async (wb) => {
        const input: RunConfigInput = {
          method: opts.method as never, network: opts.net as never, backend: opts.backend as never,
          ...(opts.datasets ? { datasets: String(opts.datasets).split(',').map((s) => s.trim()).filter(Boolean) } : {}),
          ...(opts.task ? { task: opts.task as never } : {}),
          ...(opts.steps !== undefined ? { steps: opts.steps as number } : {}),
          ...(opts.epochs !== undefined ? { epochs: opts.epochs as number } : {}),
          ...(opts.batch !== undefined ? { batchSize: opts.batch as number } : {}),
          ...(opts.lr !== undefined ? { learningRate: opts.lr as number } : {}),
          ...(opts.inputSize !== undefined ? { inputSize: opts.inputSize as number } : {}),
          ...(opts.validateEvery !== undefined ? { validateEvery: opts.validateEvery as number } : {}),
          ...(opts.checkpointEvery !== undefined ? { checkpointEvery: opts.checkpointEvery as number } : {}),
          ...(opts.initFrom ? { initFrom: String(opts.initFrom) } : {}),
          ...(opts.flip ? { augmentation: { horizontalFlip: true } } : {}),
          ...(opts.seed !== undefined ? { seed: opts.seed as number } : {}),
        }
        const parsed = RunConfigSchema.safeParse(input)
        if (!parsed.success) throw new CliExit(2, parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('\n'))
        const run = await call(wb, 'runs.start', { config: parsed.data, name: opts.name as string | undefined })
        if (!opts.json) console.log(`Run ${run.id} started: ${run.method} ${run.network} on ${run.datasets.join(', ')} (${run.trainImages} training images)`)
        finish(await followRun(wb, run, !!opts.json), !!opts.json)
      }),
    )

  program
    .command('resume')
    .description('resume a stopped or failed run from its last checkpoint')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--run <id>', 'run id', number('run'))
    .option('--json', 'JSON lines; the last one has runId and status')
    .action((opts: { workspace: string; run: number; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const run = await call(wb, 'runs.resume', { id: opts.run })
        finish(await followRun(wb, run, !!opts.json), !!opts.json)
      }),
    )

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
          const latest = Object.entries(r.latest).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${(v as number).toFixed(3)}`).join(', ')
          console.log(`${String(r.id).padStart(4)}  ${r.status.padEnd(9)} ${r.method.padEnd(9)} ${r.network.padEnd(10)} ${r.step}/${r.totalSteps} steps  ${r.backend ?? '-'}  ${r.datasets.join(',')}  ${latest}`)
        }
      }),
    )

  program
    .command('evaluate')
    .description("score a run's predictions on a split (per-class accuracy, F1, confusion, AUs by emotion)")
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--run <id>', 'run id', number('run'))
    .option('--split <s>', 'train | val | test', 'test')
    .option('--datasets <a,b>', "only these datasets (default: the run's own and any other it predicted)")
    .option('--json', 'print JSON')
    .action((opts: { workspace: string; run: number; split: string; datasets?: string; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const datasets = opts.datasets?.split(',').map((s) => s.trim()).filter(Boolean)
        const evaluation = await call(wb, 'runs.evaluate', { id: opts.run, split: opts.split as never, ...(datasets?.length ? { datasets } : {}) })
        if (opts.json) return printJson(evaluation)
        printEvaluation(evaluation)
      }),
    )

  program
    .command('predict')
    .description("predict every image of the run's datasets (or others) with its best checkpoint; adds to the run's predictions and leaves its status alone (exit code 1 when the prediction fails)")
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--run <id>', 'run id', number('run'))
    .option('--datasets <a,b>', 'datasets to predict (default: those the run trained on)')
    .option('--json', 'JSON lines')
    .action((opts: { workspace: string; run: number; datasets?: string; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        let datasetIds: number[] | undefined
        if (opts.datasets) {
          const all = await call(wb, 'datasets.list', {})
          datasetIds = opts.datasets.split(',').map((name) => {
            const d = all.find((x) => x.name === name.trim())
            if (!d) throw new CliExit(2, `--datasets: no dataset named "${name}" (datasets: ${all.map((x) => x.name).join(', ')}).`)
            return d.id
          })
        }
        const run = await call(wb, 'runs.predict', { id: opts.run, datasetIds })
        const job = wb.ctx.trainers.get(run.id)?.recorder
        const after = await followRun(wb, run, !!opts.json)
        const total = predictedImageCount(wb.ctx.requireWorkspace().db, run.id)
        finishPrediction(after, { images: job?.predictedImages ?? 0, failure: job?.failure ?? null, total }, !!opts.json)
      }),
    )

  program
    .command('export')
    .description('export as CSV: predictions of a run, the labels (unknown left empty), or the label edit log')
    .argument('<what>', 'predictions | labels | label-edits')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--out <file.csv>', 'CSV file to write (predictions and labels: a .json sidecar is written beside it)')
    .option('--run <id>', 'run id (for predictions)', number('run'))
    .option('--datasets <a,b>', 'only these datasets (default: all)')
    .option('--threshold <p>', 'AU presence threshold for the AU<n>_c columns', number('threshold'), 0.5)
    .action((what: string, opts: { workspace: string; out: string; run?: number; datasets?: string; threshold: number }) =>
      withWorkspace(opts, async (wb) => {
        if (!['predictions', 'labels', 'label-edits'].includes(what)) throw new CliExit(2, `affect export ${what}: unknown export; use predictions, labels or label-edits.`)
        if (what === 'predictions' && opts.run === undefined) throw new CliExit(2, 'affect export predictions needs --run ID.')
        const db = wb.ctx.requireWorkspace().db
        const datasetIds = datasetIdsByName(db, opts.datasets?.split(',').map((s) => s.trim()).filter(Boolean))
        const bar = progressBar('Exporting')
        const onProgress = (d: number, t: number) => bar.update(d, t)
        let result
        try {
          result =
            what === 'predictions' ? await exportPredictions(db, opts.run!, opts.out, { threshold: opts.threshold, datasetIds, onProgress })
            : what === 'labels' ? await exportLabels(db, opts.out, { datasetIds, onProgress })
            : { ...(await exportLabelEdits(db, opts.out, { datasetIds, onProgress })), sidecar: null }
        } finally {
          bar.stop()
        }
        console.log(`Wrote ${result.rows} rows to ${result.file}${result.sidecar ? ` (and ${result.sidecar})` : ''}`)
      }),
    )
}
