import type { Command } from 'commander'
import { methods, type PhotoPrediction, type RunSummary } from '../../../shared/contract'
import type { Workbench } from '../../app/assemble'
import { predictedImageCount } from '../../runs/prediction-store'
import { CliExit, call, printJson } from '../call'
import { progressBar } from '../progress'
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

interface PredictOptions {
  workspace: string
  run: number
  datasets?: string[]
  photos?: string
  name?: string
  json?: boolean
}

/** --photos: import the folder's faces, predict them, export the CSV. */
async function predictPhotos(wb: Workbench, opts: PredictOptions & { photos: string }): Promise<void> {
  const bar = progressBar(`Finding faces in ${opts.photos}`)
  const off = wb.ctx.events.on('import.progress', (p) => bar.update(p.done, p.total, p.file))
  let result: PhotoPrediction
  try {
    result = await call(wb, 'runs.predictPhotos', { id: opts.run, folder: opts.photos, name: opts.name })
  } finally {
    off()
    bar.stop()
  }
  if (opts.json) return printJson(result)
  const f = result.import.faces
  console.log(
    `${result.import.dataset}: ${f.facesFound} faces found in ${f.photosSearched} new photos (${f.photosWithoutFace} without a face); ${result.import.alreadyImported} faces were already in the catalogue`,
  )
  for (const i of result.import.issues.filter((x) => !x.kept).slice(0, 20))
    console.log(`  ${i.file}: ${i.reason}: ${i.detail}`)
  console.log(
    `Run ${opts.run}: predicted ${result.predicted} faces; ${result.export.rows} rows in ${result.export.file}`,
  )
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
    .option(
      '--photos <folder>',
      'a folder of photos: find the faces not in the catalogue yet, import them as a dataset, predict them and export the predictions CSV, in one go',
    )
    .option('--name <dataset>', 'with --photos: the dataset the photos become (default photos-<folder name>)')
    .option('--json', 'JSON lines')
    .action((opts: PredictOptions) =>
      withWorkspace(opts, async (wb) => {
        if (opts.photos) return predictPhotos(wb, opts as PredictOptions & { photos: string })
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
