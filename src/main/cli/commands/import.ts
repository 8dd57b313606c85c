import type { Command } from 'commander'
import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import {
  FACE_MODES,
  IMPORT_FORMATS,
  methods,
  type FaceMode,
  type ImportFormat,
  type ImportReport,
  type ImportReportIssue,
} from '../../../shared/contract'
import { FORMATS } from '../../import/formats'
import { CliExit, call, printJson } from '../call'
import { numberOption, textOption } from '../options'
import { progressBar } from '../progress'
import { withWorkspace } from '../with-workspace'

const field = methods['import.run'].input.shape
type ReaderOptions = z.output<typeof field.options>

/** Where an issue is, as an editor would find it: `labels.csv:12 (column happy)`. */
const whereOf = (i: ImportReportIssue): string =>
  `${i.file}${i.row ? `:${i.row}` : ''}${i.column ? ` (column ${i.column})` : ''}`

const ISSUES_PRINTED = 20

function printReport(r: ImportReport): void {
  console.log(`${r.dataset} (${r.format}) from ${r.root}`)
  console.log(
    `  imported ${r.imported} images with ${r.labels} known labels; already in the catalogue ${r.alreadyImported}; skipped ${r.skipped}`,
  )
  for (const [reason, n] of Object.entries(r.skippedByReason)) console.log(`  skipped, ${reason}: ${n}`)
  for (const [reason, n] of Object.entries(r.notesByReason))
    console.log(`  imported with a value left out, ${reason}: ${n}`)
  const shown = r.issues.slice(0, ISSUES_PRINTED)
  for (const i of shown) console.log(`    ${whereOf(i)}: ${i.reason}: ${i.detail}`)
  const more = r.skipped + r.notes - shown.length
  if (more > 0)
    console.log(
      `    ... and ${more} more (${r.issuesFile ? `every issue is listed in ${r.issuesFile}` : 'use --json to see them all'})`,
    )
  const f = r.faces
  if (f.photosSearched)
    console.log(
      `  faces: ${f.facesFound} found in ${f.photosSearched} photos (${f.photosWithoutFace} without a face), on ${f.backend}`,
    )
  if (f.boxCrops) console.log(`  faces: ${f.boxCrops} cut from the dataset's face boxes`)
  if (f.frames?.searched)
    console.log(`  video frames: ${f.frames.searched} searched for faces, followed as ${f.frames.tracks} face tracks`)
  if (f.frames?.whole) console.log(`  video frames: ${f.frames.whole} kept whole (--faces whole), one item per frame`)
  if (r.leakage)
    console.log(
      `  leakage: ${r.leakage} pictures are in a training split here and a validation or test split of another dataset, or the other way round (issues "leakage")`,
    )
  console.log(`  label space: ${r.labelSpace.join(' ')}`)
  console.log(`  ${r.seconds.toFixed(1)} s`)
}

/** Why nothing was imported, from the first issue that skipped something. */
function nothingImported(r: ImportReport): string {
  const first = r.issues.find((i) => !i.kept) ?? r.issues[0]
  return `Nothing could be imported from ${r.root}${first ? `: ${first.reason} (${whereOf(first)}: ${first.detail})` : ''}.`
}

/** --options: reader options as JSON (or @file.json), checked with the contract's schema. */
function readerOptions(text: string | undefined): ReaderOptions {
  if (!text) return {}
  let json: unknown
  try {
    json = JSON.parse(text.startsWith('@') ? readFileSync(text.slice(1), 'utf8') : text)
  } catch (e) {
    throw new CliExit(2, `--options is not valid JSON: ${(e as Error).message}`)
  }
  const parsed = field.options.safeParse(json)
  if (!parsed.success)
    throw new CliExit(
      2,
      `--options: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`,
    )
  return parsed.data
}

/** --split 0.8,0.1,0.1 with --seed: shares for images whose dataset has no split of its own. */
function splitShares(
  text: string | undefined,
  seed: number,
): { train: number; val: number; test: number; seed: number } | undefined {
  if (!text) return undefined
  const parts = text.split(',').map(Number)
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0))
    throw new CliExit(2, `--split must be three shares like 0.8,0.1,0.1, not "${text}".`)
  return { train: parts[0], val: parts[1], test: parts[2], seed }
}

interface ImportOptions {
  workspace: string
  format: ImportFormat
  name?: string
  options?: string
  split?: string
  seed: number
  fps?: number
  json?: boolean
  faces: FaceMode
  minFaceScore?: number
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import a dataset in place, in its own format, in one transaction')
    .requiredOption('-w, --workspace <dir>', 'workspace folder (created when new)')
    .requiredOption(
      '-f, --format <name>',
      `dataset format: ${IMPORT_FORMATS.join(', ')}`,
      textOption('--format', field.format),
    )
    .argument('<path>', 'the dataset folder (or its label file; a video file for --format video)')
    .option('-n, --name <dataset>', 'dataset name in the catalogue (default: the folder name)')
    .option('--options <json>', 'reader options as JSON, e.g. {"pathColumn":"file","columns":{"smile":"AU12"}}')
    .option('--split <train,val,test>', 'shares for images without a split in the dataset, e.g. 0.8,0.1,0.1')
    .option('--seed <n>', 'seed of that split', numberOption('--seed', field.split.unwrap().shape.seed), 1)
    .option(
      '--fps <n>',
      "video, disfa: frames per second to take (default: the video's own rate)",
      numberOption('--fps', field.options.unwrap().shape.fps.unwrap()),
    )
    .option(
      '--faces <mode>',
      `faces: ${FACE_MODES.join('|')}; auto = the dataset's face boxes where it has them, detection for photographs and full frames, whole images for datasets of aligned crops`,
      textOption('--faces', field.faces.unwrap()),
      'auto',
    )
    .option(
      '--min-face-score <p>',
      'detector score below which a candidate is not a face (default 0.5)',
      numberOption('--min-face-score', field.faceOptions.unwrap().shape.minConfidence.unwrap()),
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `\nFormats:\n${IMPORT_FORMATS.map((f) => `  ${f.padEnd(10)} ${FORMATS[f].describe}`).join('\n')}`,
    )
    .action((path: string, opts: ImportOptions) =>
      withWorkspace({ workspace: opts.workspace, create: true }, async (wb) => {
        const options = { ...readerOptions(opts.options), ...(opts.fps ? { fps: opts.fps } : {}) }
        const split = splitShares(opts.split, opts.seed)
        const bar = progressBar(`Importing ${opts.name ?? path}`)
        const off = wb.ctx.events.on('import.progress', (p) => bar.update(p.done, null, p.file))
        let report: ImportReport
        try {
          report = await call(wb, 'import.run', {
            format: opts.format,
            path,
            name: opts.name,
            options,
            split,
            faces: opts.faces,
            faceOptions: opts.minFaceScore === undefined ? {} : { minConfidence: opts.minFaceScore },
          })
        } finally {
          off()
          bar.stop()
        }
        if (opts.json) printJson(report)
        else printReport(report)
        if (report.imported === 0 && report.alreadyImported === 0) throw new CliExit(1, nothingImported(report))
      }),
    )
}
