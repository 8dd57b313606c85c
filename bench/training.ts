import * as tf from '@tensorflow/tfjs'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { BackendChoice, selectBackend, SelectedBackend } from '../src/main/trainer/backend'
import { trainingBatch } from '../src/main/trainer/data/batch'
import { batchRows } from '../src/main/trainer/loop/batch-split'
import { EVAL_BATCH } from '../src/main/trainer/loop/evaluate'
import { prepareRun, type TrainCommand } from '../src/main/trainer/loop/prepare'
import { planThreads } from '../src/main/trainer/loop/threads'
import { trainOnBatch } from '../src/main/trainer/loop/train-on-batch'
import type { NetworkArch } from '../src/main/trainer/network'
import type { GpuAdapter } from '../src/shared/contract/app'
import { RunConfigSchema } from '../src/shared/run-config'
import { ConvRatios, convRatiosOf, convShareOf, profileGpuKernels, profileKernels, StepProfile } from './kernel-profile'
import { runTorchPeer, torchAvailability } from './pytorch-peer'
import { writeBenchSnapshot } from './training-data'
import { predictionRound, trainingRounds, type RoundsSetup } from './training-rounds'

/*
 * Training and prediction speed side by side with PyTorch (shared/reference/BENCHMARK.md), measured
 * on the code a run uses: a real training run (trainRun, with its data loading and its
 * data-parallel workers) on a snapshot of random 32x32 PNGs with 18 sigmoid outputs, and the
 * `predict` command's code on the same images. Rounds of ours alternate with the peer's so machine
 * noise hits both; the figures to quote are the ratios.
 */

export interface TrainingBenchOptions {
  arch?: NetworkArch
  batch?: number
  /** Cores to use: wasm runs one data-parallel worker per thread; tfjs-node gets TF threads. */
  threads?: number
  /** Timed steps per round (after two warm-up steps). */
  steps?: number
  backend?: BackendChoice
  /** Run the PyTorch peer (default true). */
  peer?: boolean
  rounds?: number
  /** Images of the snapshot, all predicted in each prediction round (default 2,560: ten batches). */
  predictImages?: number
  /** Progress in words, one line at a time. */
  onLine?: (line: string) => void
}

export interface BenchRound {
  imagesPerSecond: number
  peerImagesPerSecond: number | null
}

export interface TrainingBenchResult {
  /** Median over rounds. */
  imagesPerSecond: number
  peerImagesPerSecond: number | null
  /** Median of the rounds' ours/peer ratios (each round runs ours, then the peer). */
  ratio: number | null
  /** Prediction (evaluation mode), median over rounds, and its ratio to the peer's inference. */
  inferenceImagesPerSecond: number
  peerInferenceImagesPerSecond: number | null
  inferenceRatio: number | null
  backend: string
  /** Share of a step's wall time in convolution kernels (forward and both gradients). */
  convShare: number
  /** Each conv gradient's time over the forward conv's, in the profiled step. */
  convRatios: ConvRatios
  /** Per-kernel time of one profiled step (per worker when data-parallel), slowest first. */
  profile: { kernel: string; ms: number }[]
  arch: NetworkArch
  batch: number
  threads: number
  /** Data-parallel workers (1 = in the trainer's thread). */
  workers: number
  /** What the run said about its workers ("2 workers: 2 cores"). */
  workersReason: string
  rounds: BenchRound[]
  inferenceRounds: BenchRound[]
  /** Peer version line, or why there is no peer figure. */
  peerNote: string
  /** Time of the profiled step outside kernels (tfjs engine, tape, JavaScript; on a GPU: all host work). */
  overheadMs: number
  /** webgpu: the adapter it ran on (software: SwiftShader and the like, no speed to expect). */
  adapter: GpuAdapter | null
  /** The machine's 1-minute load average at the end: other work competing for the cores. */
  loadAverage: number
}

const PROFILED_STEPS = 3

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`bench: ${name} must be a positive integer (got ${value})`)
  return value
}

/** The peer to pair with: its depth, or why there is none. */
async function peerFor(arch: NetworkArch, wanted: boolean): Promise<{ blocks: number | null; note: string }> {
  if (!wanted) return { blocks: null, note: 'peer not run' }
  if (!arch.startsWith('resnet-'))
    return { blocks: null, note: `no PyTorch peer for ${arch} (the peer script builds ResNets only)` }
  const avail = await torchAvailability()
  return { blocks: avail.ok ? (Number(arch.slice(7)) - 2) / 6 : null, note: avail.detail }
}

/** Kernel profile of one step as one worker runs it (its shard of a batch), in this thread. */
async function profileStep(setup: RoundsSetup, workers: number, stepMs: number): Promise<StepProfile> {
  const command: TrainCommand = {
    type: 'train',
    runId: 1,
    runDir: join(setup.dir, 'profile'),
    snapshot: setup.snapshot,
    cacheDir: join(setup.dir, 'cache'),
    predictAfter: false,
    config: RunConfigSchema.parse({ network: setup.arch, batchSize: setup.batch, backend: setup.backend }),
  }
  const run = await prepareRun(command, () => {})
  const step = async (): Promise<void> => {
    const batch = trainingBatch(run.images, run.snapshot, run.order.rowsAt(0), { ...run.config, step: 0 })
    const shard = batchRows(batch, 0, Math.ceil(setup.batch / workers))
    const options = { learningRate: 0.05, weightDecay: run.config.weightDecay }
    await trainOnBatch(run.net, run.trainStep, run.views, shard, run.snapshot.classes.length, options)
  }
  try {
    for (let i = 0; i < 2; i++) await step()
    return setup.backend === 'webgpu'
      ? await profileGpuKernels(step, PROFILED_STEPS, stepMs)
      : await profileKernels(tf.getBackend(), step, PROFILED_STEPS)
  } finally {
    run.trainStep.dispose()
    run.net.dispose()
  }
}

const ratioOf = (rounds: BenchRound[]): { peer: number | null; ratio: number | null } => {
  const paired = rounds.filter(
    (r): r is { imagesPerSecond: number; peerImagesPerSecond: number } => r.peerImagesPerSecond !== null,
  )
  if (paired.length === 0) return { peer: null, ratio: null }
  // Per-round ratios first: a burst of load from elsewhere hits one round's pair, not the others.
  return {
    peer: median(paired.map((r) => r.peerImagesPerSecond)),
    ratio: median(paired.map((r) => r.imagesPerSecond / r.peerImagesPerSecond)),
  }
}

export async function runTrainingBenchmark(opts: TrainingBenchOptions = {}): Promise<TrainingBenchResult> {
  const arch = opts.arch ?? 'resnet-20'
  const batch = positiveInt('batch', opts.batch ?? 32)
  const threads = positiveInt('threads', opts.threads ?? 1)
  const steps = positiveInt('steps', opts.steps ?? 5)
  const roundCount = positiveInt('rounds', opts.rounds ?? 3)
  const predictImages = positiveInt('predict images', opts.predictImages ?? 10 * EVAL_BATCH)
  const say = opts.onLine ?? (() => {})
  const selected: SelectedBackend = await selectBackend(opts.backend ?? 'auto', { threads })
  say(`backend: ${selected.name} (${selected.reasons[selected.reasons.length - 1].reason})`)
  if (selected.adapter?.software)
    say(
      'the WebGPU adapter is software (it runs on the CPU): its speed says nothing about a GPU, and wasm is faster here',
    )
  const plan = planThreads(threads, selected.name, batch)
  const peer = await peerFor(arch, opts.peer !== false)
  let peerNote = peer.note

  const dir = await mkdtemp(join(tmpdir(), 'affect-bench-training-'))
  try {
    say(`writing ${predictImages} random 32x32 PNGs and their training snapshot`)
    const setup: RoundsSetup = {
      arch,
      batch,
      threads,
      backend: selected.name,
      snapshot: await writeBenchSnapshot(dir, predictImages),
      dir,
    }
    say(`${arch}, batch ${batch}, ${plan.reason}; ${steps} timed steps x ${roundCount} rounds of a training run`)
    const rounds: BenchRound[] = []
    const { checkpoint, messages } = await trainingRounds(setup, roundCount, steps, async (r, ours) => {
      let theirs: number | null = null
      if (peer.blocks !== null) {
        const run = await runTorchPeer({ blocksPerStage: peer.blocks, batch, threads })
        theirs = run.imagesPerSecond
        peerNote = run.line
      }
      rounds.push({ imagesPerSecond: ours, peerImagesPerSecond: theirs })
      say(
        `training round ${r + 1}/${roundCount}: workbench ${ours.toFixed(1)} img/s${theirs === null ? '' : `, PyTorch ${theirs.toFixed(1)} img/s (${(ours / theirs).toFixed(3)}x)`}`,
      )
    })
    const inferenceRounds: BenchRound[] = []
    for (let r = 0; r < roundCount; r++) {
      const ours = await predictionRound(setup, checkpoint)
      const theirs =
        peer.blocks === null
          ? null
          : (await runTorchPeer({ blocksPerStage: peer.blocks, batch: EVAL_BATCH, threads, mode: 'infer' }))
              .imagesPerSecond
      inferenceRounds.push({ imagesPerSecond: ours, peerImagesPerSecond: theirs })
      say(
        `prediction round ${r + 1}/${roundCount}: workbench ${ours.toFixed(1)} img/s${theirs === null ? '' : `, PyTorch eval ${theirs.toFixed(1)} img/s (${(ours / theirs).toFixed(3)}x)`}`,
      )
    }
    const imagesPerSecond = median(rounds.map((r) => r.imagesPerSecond))
    const profile = await profileStep(setup, plan.workers, (1000 * batch) / imagesPerSecond)
    const training = ratioOf(rounds)
    const inference = ratioOf(inferenceRounds)
    const said = messages.find((m) => m.type === 'log' && / workers?: /.test(m.message))
    return {
      imagesPerSecond,
      peerImagesPerSecond: training.peer,
      ratio: training.ratio,
      inferenceImagesPerSecond: median(inferenceRounds.map((r) => r.imagesPerSecond)),
      peerInferenceImagesPerSecond: inference.peer,
      inferenceRatio: inference.ratio,
      backend: selected.name,
      convShare: convShareOf(profile),
      convRatios: convRatiosOf(profile),
      profile: profile.kernels.map((k) => ({ kernel: k.kernel, ms: k.ms })),
      arch,
      batch,
      threads,
      workers: plan.workers,
      workersReason: said?.type === 'log' ? said.message : plan.reason,
      rounds,
      inferenceRounds,
      peerNote,
      overheadMs: profile.overheadMs,
      adapter: selected.adapter ?? null,
      loadAverage: loadavg()[0],
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
