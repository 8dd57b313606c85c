import type { Command } from 'commander'
import { methods, type RunSummary } from '../../../shared/contract'
import { predictedImageCount } from '../../runs/prediction-store'
import { CliExit, call } from '../call'
import { followRun } from '../follow-run'
import { commaList, numberOption } from '../options'
import { withWorkspace } from '../with-workspace'

/** A prediction job's outcome: it never changes the run's status, so a failure is said (and the exit code is 1) here. */
function printPrediction(
  run: RunSummary,
  outcome: { images: number; failure: string | null; total: number },
  json: boolean,
): void {
  const { images, failure, total } = outcome
  if (json)
    process.stdout.write(
      JSON.stringify({
        runId: run.id,
        status: run.status,
        prediction: { ok: failure === null, images, failure, imagesWithPredictions: total },
      }) + '\n',
    )
  else if (failure)
    console.error(
      `Run ${run.id}: the prediction failed: ${failure} The run stays ${run.status}; its earlier predictions are kept.`,
    )
  else
    console.log(
      `Run ${run.id} (${run.status}): predicted ${images} images; it now has predictions for ${total} images.`,
    )
  if (failure) process.exitCode = 1
}

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description(
      "predict every image of the run's datasets (or others) with its best checkpoint; adds to the run's predictions and leaves its status alone (exit code 1 when the prediction fails)",
    )
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--run <id>', 'run id', numberOption('--run', methods['runs.predict'].input.shape.id))
    .option('--datasets <a,b>', 'datasets to predict (default: those the run trained on)', commaList)
    .option('--json', 'JSON lines')
    .action((opts: { workspace: string; run: number; datasets?: string[]; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        let datasetIds: number[] | undefined
        if (opts.datasets?.length) {
          const all = await call(wb, 'datasets.list', {})
          datasetIds = opts.datasets.map((name) => {
            const d = all.find((x) => x.name === name)
            if (!d)
              throw new CliExit(
                2,
                `--datasets: no dataset named "${name}" (datasets: ${all.map((x) => x.name).join(', ')}).`,
              )
            return d.id
          })
        }
        const run = await call(wb, 'runs.predict', { id: opts.run, datasetIds })
        const job = wb.ctx.trainers.get(run.id)?.recorder
        const after = await followRun(wb, run, !!opts.json)
        const total = predictedImageCount(wb.ctx.requireWorkspace().db, run.id)
        printPrediction(after, { images: job?.predictedImages ?? 0, failure: job?.failure ?? null, total }, !!opts.json)
      }),
    )
}
