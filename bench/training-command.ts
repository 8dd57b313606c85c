import type { BackendChoice } from '../src/main/trainer/backend'
import { isNetworkArch, NETWORK_ARCHS } from '../src/main/trainer/network'
import { runTrainingBenchmark, TrainingBenchResult } from './training'

/*
 * `affect bench`: training speed of this machine next to PyTorch. Human lines on stdout; with
 * --json the last line is one JSON object for scripts.
 */

export interface BenchArgs {
  json: boolean
  arch?: string
  batch?: number
  threads?: number
  steps?: number
  rounds?: number
  backend?: string
  /** false: skip the PyTorch peer. */
  peer?: boolean
  /** Images predicted in each prediction round. */
  predictImages?: number
  /** Where lines go (default console.log). */
  print?: (line: string) => void
}

const BACKEND_CHOICES = ['auto', 'gpu', 'webgpu', 'native', 'wasm', 'cpu']

export function summaryLine(r: TrainingBenchResult): string {
  const threads = `${r.threads} thread${r.threads > 1 ? 's' : ''}`
  const adapter = r.adapter
    ? ` on ${r.adapter.description || r.adapter.device}${r.adapter.software ? ' (a SOFTWARE adapter: runs on the CPU, not a GPU speed)' : ''}`
    : ''
  const ours = `${r.imagesPerSecond.toFixed(1)} img/s${adapter}`
  const load = `load average ${r.loadAverage.toFixed(1)}`
  if (r.peerImagesPerSecond === null || r.ratio === null)
    return `${r.arch}, batch ${r.batch}, ${threads} (${r.workersReason}), ${r.backend}: training ${ours} (${r.peerNote}); ${load}`
  return `${r.arch}, batch ${r.batch}, ${threads} (${r.workersReason}), ${r.backend}: training ${ours}; PyTorch ${r.peerImagesPerSecond.toFixed(1)} img/s; ratio ${r.ratio.toFixed(3)}x; ${load}`
}

export function inferenceLine(r: TrainingBenchResult): string {
  const ours = `prediction ${r.inferenceImagesPerSecond.toFixed(1)} img/s`
  if (r.peerInferenceImagesPerSecond === null || r.inferenceRatio === null) return ours
  return `${ours}; PyTorch eval-mode inference ${r.peerInferenceImagesPerSecond.toFixed(1)} img/s; ratio ${r.inferenceRatio.toFixed(3)}x`
}

export function profileLines(r: TrainingBenchResult, top = 8): string[] {
  const total = r.profile.reduce((s, k) => s + k.ms, 0) + r.overheadMs
  const pct = (ms: number) => `${((100 * ms) / total).toFixed(1)}%`
  const where = r.adapter ? ' (GPU time per kernel, from timestamp queries)' : r.workers > 1 ? ' (one worker)' : ''
  const lines = [
    `convolutions take ${(100 * r.convShare).toFixed(1)}% of a step (non-conv ${(100 * (1 - r.convShare)).toFixed(1)}%); slowest kernels per step${where}:`,
  ]
  for (const k of r.profile.slice(0, top))
    lines.push(`  ${k.kernel.padEnd(24)} ${k.ms.toFixed(1).padStart(8)} ms  ${pct(k.ms)}`)
  lines.push(
    `  ${(r.adapter ? '(host work)' : '(framework overhead)').padEnd(24)} ${r.overheadMs.toFixed(1).padStart(8)} ms  ${pct(r.overheadMs)}`,
  )
  const { filterGradient, inputGradient } = r.convRatios
  const times = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(2)}x`)
  lines.push(
    `conv gradients against the forward conv in the same step: filter ${times(filterGradient)}, input ${times(inputGradient)}`,
  )
  return lines
}

export async function benchCommand(args: BenchArgs): Promise<void> {
  const print = args.print ?? ((line: string) => console.log(line))
  const arch = args.arch ?? 'resnet-20'
  if (!isNetworkArch(arch)) throw new Error(`--arch: unknown network '${arch}' (known: ${NETWORK_ARCHS.join(', ')})`)
  const backend = args.backend ?? 'auto'
  if (!BACKEND_CHOICES.includes(backend))
    throw new Error(`--backend: unknown backend '${backend}' (known: ${BACKEND_CHOICES.join(', ')})`)
  const result = await runTrainingBenchmark({
    arch,
    batch: args.batch,
    threads: args.threads,
    steps: args.steps,
    rounds: args.rounds,
    backend: backend as BackendChoice,
    peer: args.peer,
    predictImages: args.predictImages,
    onLine: args.json ? undefined : print,
  })
  if (!args.json) {
    print(summaryLine(result))
    print(inferenceLine(result))
    for (const line of profileLines(result)) print(line)
    return
  }
  const { imagesPerSecond, peerImagesPerSecond, ratio, convShare, inferenceRatio } = result
  const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)))
  print(
    JSON.stringify({
      imagesPerSecond: round(imagesPerSecond, 2),
      peerImagesPerSecond: round(peerImagesPerSecond, 2),
      ratio: round(ratio, 4),
      inferenceImagesPerSecond: round(result.inferenceImagesPerSecond, 2),
      peerInferenceImagesPerSecond: round(result.peerInferenceImagesPerSecond, 2),
      inferenceRatio: round(inferenceRatio, 4),
      backend: result.backend,
      convShare: round(convShare, 4),
      arch: result.arch,
      batch: result.batch,
      threads: result.threads,
      workers: result.workers,
      workersReason: result.workersReason,
      loadAverage: round(result.loadAverage, 2),
      adapter: result.adapter
        ? {
            description: result.adapter.description,
            vendor: result.adapter.vendor,
            architecture: result.adapter.architecture,
            software: result.adapter.software,
          }
        : null,
    }),
  )
}
