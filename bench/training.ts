import * as tf from '@tensorflow/tfjs'
import { BackendChoice, selectBackend, SelectedBackend } from '../src/main/trainer/backend'
import { DataParallelTrainer } from '../src/main/trainer/backend/parallel/pool'
import { buildNetwork, Network, NetworkArch, NetworkSpec } from '../src/main/trainer/network'
import { createTrainStep, TrainStep } from '../src/main/trainer/optimiser/momentum-sgd'
import { benchLossModule, maskedSigmoidLoss } from './training-loss'
import type { GpuAdapter } from '../src/shared/contract/app'
import { ConvRatios, convRatiosOf, convShareOf, profileGpuKernels, profileKernels } from './kernel-profile'
import { runTorchPeer, torchAvailability } from './pytorch-peer'

/*
 * Training speed side by side with PyTorch (shared/reference/BENCHMARK.md): the same ResNet at
 * 32x32 with 18 sigmoid outputs on random data, SGD steps after warm-up, alternating rounds of ours
 * and the peer's so machine noise hits both. The figure to quote is the ratio.
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
  /** Data-parallel workers (1 = in this process). */
  workers: number
  rounds: BenchRound[]
  /** Peer version line, or why there is no peer figure. */
  peerNote: string
  /** Time of the profiled step outside kernels (tfjs engine, tape, JavaScript; on a GPU: all host work). */
  overheadMs: number
  /** webgpu: the adapter it ran on (software: SwiftShader and the like, no speed to expect). */
  adapter: GpuAdapter | null
}

const OUTPUTS = 18
const INPUT = 32
const LEARNING_RATE = 0.05
const WARMUP = 2
const PROFILED_STEPS = 3

interface Runner {
  step(): Promise<void>
  close(): Promise<void>
}

async function randomBatch(batch: number, seed: number) {
  const x = tf.randomNormal([batch, INPUT, INPUT, 3], 0, 1, 'float32', seed)
  const labels = tf.cast(tf.greater(tf.randomUniform([batch, OUTPUTS], 0, 1, 'float32', seed + 1), 0.5), 'float32')
  // Read asynchronously: a GPU backend (webgpu) has no synchronous read in Node.
  const out = {
    x: (await x.data()) as Float32Array,
    labels: (await labels.data()) as Float32Array,
    mask: new Float32Array(batch * OUTPUTS).fill(1),
  }
  tf.dispose([x, labels])
  return out
}

async function inProcess(spec: NetworkSpec, batch: number): Promise<Runner & { net: Network; trainStep: TrainStep }> {
  const net = buildNetwork(spec)
  const trainStep = createTrainStep(net, { momentum: 0.9 })
  const data = await randomBatch(batch, 1)
  const x = tf.tensor4d(data.x, [batch, INPUT, INPUT, 3])
  const targets = { labels: tf.tensor2d(data.labels, [batch, OUTPUTS]), mask: tf.tensor2d(data.mask, [batch, OUTPUTS]) }
  return {
    net,
    trainStep,
    // Awaiting the loss waits for the step's kernels, on a GPU too.
    step: async () => void (await trainStep.step(x, (logits) => maskedSigmoidLoss(logits, targets), LEARNING_RATE)),
    close: async () => {
      tf.dispose([x, targets.labels, targets.mask])
      trainStep.dispose()
      net.dispose()
    },
  }
}

async function parallel(spec: NetworkSpec, batch: number, workers: number): Promise<Runner> {
  const trainer = await DataParallelTrainer.start({ workers, spec, momentum: 0.9, loss: benchLossModule() })
  const data = await randomBatch(batch, 1)
  return {
    step: async () => {
      await trainer.step(
        {
          x: { data: data.x, shape: [batch, INPUT, INPUT, 3] },
          targets: {
            labels: { data: data.labels, shape: [batch, OUTPUTS] },
            mask: { data: data.mask, shape: [batch, OUTPUTS] },
          },
        },
        LEARNING_RATE,
      )
    },
    close: () => trainer.close(),
  }
}

async function timeSteps(runner: Runner, steps: number, batch: number): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < steps; i++) await runner.step()
  return (steps * batch * 1000) / (performance.now() - t0)
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`bench: ${name} must be a positive integer (got ${value})`)
  return value
}

export async function runTrainingBenchmark(opts: TrainingBenchOptions = {}): Promise<TrainingBenchResult> {
  const arch = opts.arch ?? 'resnet-20'
  const batch = positiveInt('batch', opts.batch ?? 32)
  const threads = positiveInt('threads', opts.threads ?? 1)
  const steps = positiveInt('steps', opts.steps ?? 5)
  const roundCount = positiveInt('rounds', opts.rounds ?? 3)
  const say = opts.onLine ?? (() => {})
  const selected: SelectedBackend = await selectBackend(opts.backend ?? 'auto', { threads })
  say(`backend: ${selected.name} (${selected.reasons[selected.reasons.length - 1].reason})`)
  if (selected.adapter?.software)
    say(
      'the WebGPU adapter is software (it runs on the CPU): its speed says nothing about a GPU, and wasm is faster here',
    )

  const workers = selected.name === 'wasm' ? Math.min(threads, batch) : 1
  const spec: NetworkSpec = { arch, inputSize: INPUT, channels: 3, heads: [{ name: 'out', units: OUTPUTS }], seed: 1 }
  const blocks = arch.startsWith('resnet-') ? (Number(arch.slice(7)) - 2) / 6 : null
  let peerNote = ''
  let peerOn = opts.peer !== false && blocks !== null
  if (opts.peer !== false && blocks === null)
    peerNote = `no PyTorch peer for ${arch} (the peer script builds ResNets only)`
  if (peerOn) {
    const avail = await torchAvailability()
    peerNote = avail.detail
    peerOn = avail.ok
  }
  if (opts.peer === false) peerNote = 'peer not run'

  say(
    `${arch}, batch ${batch}, ${threads} thread${threads > 1 ? 's' : ''}${workers > 1 ? ` (${workers} data-parallel workers, ${batch / workers} images each)` : ''}, ${steps} timed steps x ${roundCount} rounds`,
  )
  const runner = workers > 1 ? await parallel(spec, batch, workers) : await inProcess(spec, batch)
  const rounds: BenchRound[] = []
  try {
    for (let i = 0; i < WARMUP; i++) await runner.step()
    for (let r = 0; r < roundCount; r++) {
      const ours = await timeSteps(runner, steps, batch)
      let peer: number | null = null
      if (peerOn) {
        const run = await runTorchPeer({ blocksPerStage: blocks!, batch, threads })
        peer = run.imagesPerSecond
        peerNote = run.line
      }
      rounds.push({ imagesPerSecond: ours, peerImagesPerSecond: peer })
      say(
        `round ${r + 1}/${roundCount}: workbench ${ours.toFixed(1)} img/s${peer === null ? '' : `, PyTorch ${peer.toFixed(1)} img/s (${(ours / peer).toFixed(3)}x)`}`,
      )
    }
  } finally {
    await runner.close()
  }

  const imagesPerSecond = median(rounds.map((r) => r.imagesPerSecond))
  // The kernel profile of one step as each worker runs it, in this process.
  const perWorker = Math.ceil(batch / workers)
  const probe = await inProcess(spec, perWorker)
  let profile
  try {
    for (let i = 0; i < WARMUP; i++) await probe.step()
    profile =
      selected.name === 'webgpu'
        ? await profileGpuKernels(() => probe.step(), PROFILED_STEPS, (1000 * batch) / imagesPerSecond)
        : await profileKernels(tf.getBackend(), () => probe.step(), PROFILED_STEPS)
  } finally {
    await probe.close()
  }

  const paired = rounds.filter(
    (r): r is { imagesPerSecond: number; peerImagesPerSecond: number } => r.peerImagesPerSecond !== null,
  )
  const peerImagesPerSecond = paired.length > 0 ? median(paired.map((r) => r.peerImagesPerSecond)) : null
  return {
    imagesPerSecond,
    peerImagesPerSecond,
    // Per-round ratios first: a burst of load from elsewhere hits one round's pair, not the others.
    ratio: paired.length > 0 ? median(paired.map((r) => r.imagesPerSecond / r.peerImagesPerSecond)) : null,
    backend: selected.name,
    convShare: convShareOf(profile),
    convRatios: convRatiosOf(profile),
    profile: profile.kernels.map((k) => ({ kernel: k.kernel, ms: k.ms })),
    arch,
    batch,
    threads,
    workers,
    rounds,
    peerNote,
    overheadMs: profile.overheadMs,
    adapter: selected.adapter ?? null,
  }
}
